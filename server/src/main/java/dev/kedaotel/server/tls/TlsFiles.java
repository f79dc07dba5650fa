package dev.kedaotel.server.tls;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where one port's TLS material comes from: the certificate (chain), key and optional CA files, each
 * with the setting that named it, so every message can say which setting to fix.
 *
 * @param port the port's name in logs and self-metric labels ({@code otlp}, {@code keda}, {@code rest_api},
 *     {@code internal_metrics})
 * @param certSetting e.g. {@code OTLP_TLS_CERT_FILE}
 * @param caFile empty when client certificates are not required
 */
public record TlsFiles(String port, String certSetting, String certFile, String keySetting, String keyFile,
                       String caSetting, String caFile) {

    public boolean mutualTls() {
        return !caFile.isEmpty();
    }

    /** The files' bytes, read once, so that what is checked is exactly what is installed. */
    record Contents(byte[] cert, byte[] key, byte[] ca) {
    }

    Contents read() throws TlsFileException {
        return new Contents(read(certSetting, certFile), read(keySetting, keyFile),
                mutualTls() ? read(caSetting, caFile) : new byte[0]);
    }

    private static byte[] read(String setting, String file) throws TlsFileException {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new TlsFileException(setting, file, "file not found");
        } catch (AccessDeniedException e) {
            throw new TlsFileException(setting, file, "cannot be read (permission denied)");
        } catch (IOException | RuntimeException e) {
            throw new TlsFileException(setting, file, "cannot be read: " + e.getMessage(), e);
        }
    }
}
