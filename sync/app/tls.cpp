#include "tls.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "ids.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include <sys/stat.h>

namespace accueil::sync {

namespace {
struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

std::string fingerprint_of(X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(cert, EVP_sha256(), md, &n) != 1)
        return {};
    return to_hex(md, n);
}

int verify_pinned(X509_STORE_CTX* store, void* arg) {
    const auto* expected = static_cast<const std::string*>(arg);
    X509* cert = X509_STORE_CTX_get0_cert(store);
    if (cert && expected && !expected->empty() && fingerprint_of(cert) == *expected) {
        X509_STORE_CTX_set_error(store, X509_V_OK);
        return 1;
    }
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
    return 0;
}

// Text written by an OpenSSL PEM writer into memory.
template <typename Write> std::string pem_text(Write&& write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || write(bio.get()) != 1)
        throw StoreError(i18n::tr("serve.tls.cannot_make", {{"detail", "OpenSSL: PEM_write_bio"}}));
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, std::size_t(n));
}

void write_file(const std::string& path, const std::string& text, bool secret) {
    // A key is written readable by its owner only, before anything is in it.
    const int old_mask = secret ? ::umask(077) : -1;
    File f(std::fopen(path.c_str(), "wb"));
    if (secret)
        ::umask(old_mask);
    if (!f || std::fwrite(text.data(), 1, text.size(), f.get()) != text.size() || std::fflush(f.get()) != 0)
        throw StoreError(i18n::tr("serve.tls.cannot_write", {{"path", path}}));
}
} // namespace

CertificatePem make_certificate_pem() {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    if (!key || !cert)
        throw StoreError(i18n::tr("serve.tls.cannot_make", {{"detail", "OpenSSL: EVP_EC_gen"}}));
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    const Origin r = random_origin();
    std::copy(r.begin(), r.end(), serial);
    serial[0] &= 0x7F;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("accueil-sync"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        throw StoreError(i18n::tr("serve.tls.cannot_make", {{"detail", "OpenSSL: X509_sign"}}));
    CertificatePem out;
    out.key = pem_text([&](BIO* b) {
        return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    out.cert = pem_text([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); });
    return out;
}

namespace {
void make_certificate(const CertificatePaths& p) {
    const auto pem = make_certificate_pem();
    write_file(p.key, pem.key, true);
    write_file(p.cert, pem.cert, false);
}
} // namespace

namespace {
CertificatePaths paths_of(const std::string& db_path) {
    const std::filesystem::path dir = db_path + ".tls";
    return {(dir / "cert.pem").string(), (dir / "key.pem").string()};
}

std::optional<std::string> read_text(const std::string& path) {
    File f(std::fopen(path.c_str(), "rb"));
    if (!f)
        return std::nullopt;
    std::string text;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f.get())) > 0;)
        text.append(buf, n);
    return text;
}
} // namespace

std::optional<CertificatePem> stored_certificate(const std::string& db_path) {
    const auto p = paths_of(db_path);
    auto cert = read_text(p.cert);
    auto key = read_text(p.key);
    if (!cert || !key || cert->empty() || key->empty())
        return std::nullopt;
    return CertificatePem{std::move(*cert), std::move(*key), p.cert};
}

void save_certificate(const std::string& db_path, const CertificatePem& pem) {
    const auto p = paths_of(db_path);
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(p.cert).parent_path(), ec);
    if (ec)
        throw StoreError(i18n::tr("serve.tls.cannot_create", {{"path", p.cert}, {"detail", ec.message()}}));
    write_file(p.key, pem.key, true);
    write_file(p.cert, pem.cert, false);
}

CertificatePaths ensure_certificate(const std::string& db_path) {
    const std::filesystem::path dir = db_path + ".tls";
    CertificatePaths p = paths_of(db_path);
    if (std::filesystem::exists(p.cert) && std::filesystem::exists(p.key))
        return p;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw StoreError(
            i18n::tr("serve.tls.cannot_create", {{"path", dir.string()}, {"detail", ec.message()}}));
    make_certificate(p);
    return p;
}

std::string certificate_fingerprint_of_pem(const std::string& cert_pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(cert_pem.data(), int(cert_pem.size())),
                                                  BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
    if (!cert)
        throw StoreError(i18n::tr("serve.tls.damaged", {{"path", "PEM"}, {"detail", "not PEM"}}));
    return fingerprint_of(cert.get());
}

std::string certificate_fingerprint(const std::string& cert_pem_path) {
    File f(std::fopen(cert_pem_path.c_str(), "rb"));
    if (!f)
        throw StoreError(i18n::tr("serve.tls.unreadable", {{"path", cert_pem_path}}));
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr),
                                                     X509_free);
    if (!cert)
        throw StoreError(i18n::tr("serve.tls.damaged", {{"path", cert_pem_path}, {"detail", "not PEM"}}));
    return fingerprint_of(cert.get());
}

void pin_certificate(SSL_CTX* ctx, const std::string* fingerprint) {
    // Peer verification on, with our callback in place of the CA chain check.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_cert_verify_callback(ctx, verify_pinned, const_cast<std::string*>(fingerprint));
}

} // namespace accueil::sync
