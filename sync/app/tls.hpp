#pragma once
// TLS for accueil-sync: the server's self-signed certificate (made on first start) and the
// fingerprint pinning kiosks use instead of a certificate authority.
#include <optional>
#include <string>

typedef struct ssl_ctx_st SSL_CTX;

namespace accueil::sync {

struct CertificatePaths {
    std::string cert;
    std::string key;
};

// `<db>.tls/cert.pem` and `key.pem`, made (EC P-256, self-signed, 10 years) when missing.
CertificatePaths ensure_certificate(const std::string& db_path);
// A new certificate and its key, as PEM text (the PostgreSQL store keeps them in its database, so
// every server in front of it presents the one certificate kiosks pinned).
struct CertificatePem {
    std::string cert;
    std::string key;
    std::string where; // for messages: the file, or the store that keeps it
};
CertificatePem make_certificate_pem();
std::string certificate_fingerprint_of_pem(const std::string& cert_pem);
// The certificate a SQLite store's server presents (`<db>.tls/`), read as PEM, or written from it
// (`accueil-sync migrate` moves it with the store, so kiosks keep trusting their server).
std::optional<CertificatePem> stored_certificate(const std::string& db_path);
void save_certificate(const std::string& db_path, const CertificatePem& pem);
// SHA-256 of the certificate (DER), 64 lower-case hex digits.
std::string certificate_fingerprint(const std::string& cert_pem_path);

// Makes every handshake on `ctx` fail unless the server's certificate has this fingerprint.
// `fingerprint` must outlive the context.
void pin_certificate(SSL_CTX* ctx, const std::string* fingerprint);

} // namespace accueil::sync
