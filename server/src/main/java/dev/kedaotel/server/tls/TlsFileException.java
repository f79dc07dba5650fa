package dev.kedaotel.server.tls;

/**
 * A certificate, key or CA file that cannot be used. The message is for the operator and always starts
 * with the setting and the file, e.g. {@code OTLP_TLS_CERT_FILE /certs/tls.crt: certificate expired on
 * 2026-01-01T00:00:00Z}: at startup it stops the service, on a reload it is logged as the reason the
 * previous certificate is kept.
 */
public final class TlsFileException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsFileException(String setting, String file, String problem) {
        super(setting + " " + file + ": " + problem);
    }

    TlsFileException(String setting, String file, String problem, Throwable cause) {
        super(setting + " " + file + ": " + problem, cause);
    }
}
