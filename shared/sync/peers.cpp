#include "sync/peers.hpp"

#include "database.hpp"
#include "errors.hpp"

#include <cstring>

namespace accueil::sync {

const char* to_string(Role role) {
    switch (role) {
    case Role::Central:
        return "central";
    case Role::Kiosk:
        return "kiosk";
    case Role::Desk:
        return "desk";
    }
    return "kiosk";
}

std::optional<Role> role_from_string(std::string_view text) {
    if (text == "central")
        return Role::Central;
    if (text == "kiosk")
        return Role::Kiosk;
    if (text == "desk")
        return Role::Desk;
    return std::nullopt;
}

bool is_joined_device(Store& store) {
    const auto server = store.meta("sync.server");
    return server && !server->empty();
}

Role own_role(Store& store) {
    if (!is_joined_device(store))
        return Role::Central;
    // A joined store that does not say otherwise is a kiosk: the least trusted reading.
    const auto role = role_from_string(store.meta("sync.role").value_or("kiosk"));
    return role && *role != Role::Central ? *role : Role::Kiosk;
}

std::map<Origin, Peer> known_peers(Store& store) {
    std::map<Origin, Peer> out;
    SQLite::Statement q(store.db(), "SELECT p.origin, p.role, p.name, p.device_key, EXISTS (SELECT 1 FROM "
                                    "sync_devices d WHERE d.origin = p.origin AND d.revoked_ms IS NOT NULL) "
                                    "FROM sync_peers p");
    while (q.executeStep()) {
        const auto o = q.getColumn(0);
        if (o.getBytes() != int(sizeof(Origin)))
            continue;
        Peer p;
        p.role = role_from_string(q.getColumn(1).getString()).value_or(Role::Kiosk);
        p.name = q.getColumn(2).getString();
        if (const auto k = q.getColumn(3); k.getBytes() == int(sizeof(PublicKey))) {
            PublicKey key{};
            std::memcpy(key.data(), k.getBlob(), key.size());
            p.key = key;
        }
        p.revoked = q.getColumn(4).getInt() != 0;
        out[origin_from_blob(o.getBlob(), o.getBytes())] = std::move(p);
    }
    if (is_joined_device(store)) {
        if (const auto central = origin_from_hex(store.meta("sync.server_origin").value_or(""))) {
            Peer c{Role::Central, "", std::nullopt};
            c.key = public_key_from_hex(store.meta("sync.server_key").value_or(""));
            out[*central] = std::move(c);
        }
    } else {
        out[store.origin()] = Peer{Role::Central, "", std::nullopt};
    }
    return out;
}

nlohmann::json peers_to_json(const std::map<Origin, Peer>& peers) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& [origin, peer] : peers)
        a.push_back({{"origin", to_hex(origin)}, {"role", to_string(peer.role)}, {"name", peer.name}});
    return a;
}

std::map<Origin, Peer> peers_from_json(const nlohmann::json& j) {
    if (!j.is_array() || j.size() > 10000)
        throw InputError("", "the server's list of devices is malformed");
    std::map<Origin, Peer> out;
    for (const auto& p : j) {
        const auto origin = p.is_object() && p.contains("origin") && p["origin"].is_string()
                                ? origin_from_hex(p["origin"].get<std::string>())
                                : std::nullopt;
        const auto role = p.is_object() && p.contains("role") && p["role"].is_string()
                              ? role_from_string(p["role"].get<std::string>())
                              : std::nullopt;
        const auto name = p.is_object() ? p.value("name", nlohmann::json()) : nlohmann::json();
        if (!origin || !role || !name.is_string() || name.get_ref<const std::string&>().size() > 100)
            throw InputError("", "the server's list of devices is malformed");
        out[*origin] = Peer{*role, name.get<std::string>(), std::nullopt};
    }
    return out;
}

void record_peer(SQLite::Database& db, const Origin& origin, const Peer& peer) {
    SQLite::Statement q(db, "INSERT INTO sync_peers (origin, role, name, device_key) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (origin) DO UPDATE SET role = excluded.role, name = excluded.name, "
                            "device_key = coalesce(excluded.device_key, device_key)");
    q.bind(1, origin.data(), int(origin.size()));
    q.bind(2, to_string(peer.role));
    q.bind(3, peer.name);
    if (peer.key)
        q.bind(4, peer.key->data(), int(peer.key->size()));
    else
        q.bind(4);
    q.exec();
}

bool peers_unchanged(SQLite::Database& db, const std::map<Origin, Peer>& peers) {
    SQLite::Statement q(db, "SELECT origin, role, name FROM sync_peers");
    std::size_t rows = 0;
    while (q.executeStep()) {
        ++rows;
        const auto o = q.getColumn(0);
        if (o.getBytes() != int(sizeof(Origin)))
            return false;
        const auto it = peers.find(origin_from_blob(o.getBlob(), o.getBytes()));
        if (it == peers.end() || q.getColumn(1).getString() != to_string(it->second.role) ||
            q.getColumn(2).getString() != it->second.name)
            return false;
    }
    return rows == peers.size();
}

void replace_peers(SQLite::Database& db, const std::map<Origin, Peer>& peers) {
    db.exec("DELETE FROM sync_peers");
    for (const auto& [origin, peer] : peers)
        record_peer(db, origin, peer);
}

} // namespace accueil::sync
