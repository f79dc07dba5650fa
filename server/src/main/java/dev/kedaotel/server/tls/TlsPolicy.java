package dev.kedaotel.server.tls;

import java.util.List;

/**
 * The one TLS policy of every serving port (OTLP/gRPC, KEDA gRPC, HTTP API, self-metrics), so the four
 * can never drift apart: which protocol versions and cipher suites a handshake may use.
 *
 * <p>TLS 1.2 and 1.3 only: 1.0 and 1.1 are deprecated (RFC 8996) and no client this service talks to
 * (OpenTelemetry collectors and SDKs, KEDA, Grafana, Prometheus tooling, curl) needs them. For 1.3 its
 * three standard AEAD suites. For 1.2 only ephemeral ECDHE key exchange with an AEAD cipher (AES-GCM or
 * ChaCha20-Poly1305), with either an ECDSA or an RSA certificate: forward secrecy on every connection,
 * no CBC (padding-oracle history), no static RSA key exchange. This is the same set Go's
 * {@code crypto/tls} (kedify's server, KEDA's client) prefers, and what HTTP/2 (gRPC) requires of
 * TLS 1.2 (RFC 7540 §9.2.2), so every gRPC client that works against kedify works here.
 *
 * <p>Names are the IANA/JDK ones. Handshakes use the JDK's TLS implementation on all ports (the same key
 * and trust managers serve Netty and Jetty, see {@link ReloadingTls}); JDK 17 implements every suite
 * listed.
 */
public final class TlsPolicy {
    /** Protocol versions, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Cipher suites in preference order: TLS 1.3's, then TLS 1.2's ECDHE + AEAD suites. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }

    public static String[] protocols() {
        return PROTOCOLS.toArray(new String[0]);
    }

    public static String[] cipherSuites() {
        return CIPHER_SUITES.toArray(new String[0]);
    }
}
