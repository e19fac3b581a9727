#pragma once
// TLS for accueil-sync: the server's self-signed certificate (made on first start) and the
// fingerprint pinning kiosks use instead of a certificate authority.
#include <string>

typedef struct ssl_ctx_st SSL_CTX;

namespace accueil::sync {

struct CertificatePaths {
    std::string cert;
    std::string key;
};

// `<db>.tls/cert.pem` and `key.pem`, made (EC P-256, self-signed, 10 years) when missing.
CertificatePaths ensure_certificate(const std::string& db_path);
// SHA-256 of the certificate (DER), 64 lower-case hex digits.
std::string certificate_fingerprint(const std::string& cert_pem_path);

// Makes every handshake on `ctx` fail unless the server's certificate has this fingerprint.
// `fingerprint` must outlive the context.
void pin_certificate(SSL_CTX* ctx, const std::string* fingerprint);

} // namespace accueil::sync
