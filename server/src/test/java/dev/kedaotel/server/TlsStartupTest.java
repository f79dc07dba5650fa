package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.server.tls.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificate files that cannot be used stop startup, before any port is bound, with a message naming
 * the setting, the file and the reason — in the process too: on stderr, exit code 2.
 */
class TlsStartupTest {
    @TempDir
    Path dir;

    private String startupError(String... args) {
        Config config = Config.load(args, new HashMap<>());
        Config.ConfigException e = assertThrows(Config.ConfigException.class,
                () -> KedaOtelScaler.start(config, new ManualTimeSource(System.currentTimeMillis())).close());
        return e.getMessage();
    }

    private static String[] withPorts(String... tls) {
        List<String> a = new ArrayList<>(List.of("--bind-address=127.0.0.1", "--otlp-receiver-port=0", "--keda-external-scaler-port=0",
                "--rest-api-port=0", "--internal-metrics-port=0", "--no-banner"));
        a.addAll(List.of(tls));
        return a.toArray(new String[0]);
    }

    @Test
    void expiredCertificateAtStartIsANamedError() throws Exception {
        TestPki.Issued ca = TestPki.ca("ca");
        long now = System.currentTimeMillis();
        TestPki.Issued expired = TestPki.server(ca, "EC", now - 48 * TestPki.HOUR_MS, now - 24 * TestPki.HOUR_MS);
        Path cert = dir.resolve("expired.crt");
        Path key = dir.resolve("expired.key");
        expired.write(cert, key);
        assertEquals("OTLP_TLS_CERT_FILE " + cert + ": certificate expired on " + Instant.ofEpochMilli(expired.cert().getNotAfter().getTime()),
                startupError(withPorts("--otlp-tls-cert-file=" + cert, "--otlp-tls-key-file=" + key)));
        assertEquals("INTERNAL_METRICS_TLS_CERT_FILE " + cert + ": certificate expired on " + Instant.ofEpochMilli(expired.cert().getNotAfter().getTime()),
                startupError(withPorts("--internal-metrics-tls-cert-file=" + cert, "--internal-metrics-tls-key-file=" + key)));
    }

    @Test
    void mismatchedKeyMissingFileAndBadCaAreNamedErrors() throws Exception {
        TestPki.Issued ca = TestPki.ca("ca");
        TestPki.Issued a = TestPki.server(ca, "EC");
        TestPki.Issued b = TestPki.server(ca, "EC");
        Path cert = dir.resolve("a.crt");
        Path key = dir.resolve("b.key");
        Files.writeString(cert, a.certPem());
        Files.writeString(key, b.keyPem());
        String msg = startupError(withPorts("--keda-tls-enabled=true", "--keda-tls-cert-file=" + cert, "--keda-tls-key-file=" + key));
        assertTrue(msg.startsWith("KEDA_TLS_KEY_FILE " + key + ": the private key does not match the certificate"), msg);

        b.write(cert, key);
        Path missing = dir.resolve("no-such-ca.crt");
        assertEquals("REST_API_TLS_CA_FILE " + missing + ": file not found", startupError(withPorts("--rest-api-tls-cert-file=" + cert,
                "--rest-api-tls-key-file=" + key, "--rest-api-tls-ca-file=" + missing)));
        Path notPem = dir.resolve("ca.der");
        Files.write(notPem, ca.cert().getEncoded());
        msg = startupError(withPorts("--otlp-tls-cert-file=" + cert, "--otlp-tls-key-file=" + key, "--otlp-tls-ca-file=" + notPem));
        assertTrue(msg.startsWith("OTLP_TLS_CA_FILE " + notPem + ": no PEM certificate"), msg);
    }

    @Test
    void theProcessPrintsTheErrorAndExitsWithCode2() throws Exception {
        TestPki.Issued ca = TestPki.ca("ca");
        long now = System.currentTimeMillis();
        TestPki.Issued expired = TestPki.server(ca, "RSA", now - 48 * TestPki.HOUR_MS, now - 24 * TestPki.HOUR_MS);
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        expired.write(cert, key);
        Path log = dir.resolve("out.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(withPorts("--otlp-tls-cert-file=" + cert, "--otlp-tls-key-file=" + key)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("KOS_TUNED_JVM", "false");
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running");
            String err = Files.readString(log);
            assertEquals(2, p.exitValue(), err);
            assertTrue(err.contains("keda-otel-scaler: cannot start: OTLP_TLS_CERT_FILE " + cert + ": certificate expired on "), err);
        } finally {
            p.destroyForcibly();
        }
    }
}
