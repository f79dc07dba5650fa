package dev.kedaotel.server.tls;

import dev.kedaotel.model.ManualTimeSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading and checking certificate, key and CA files, and the reload tick, against files generated in the
 * test: every key encoding tools write, and every way a file can be unusable, with the message an
 * operator gets (setting, file, reason).
 */
class TlsMaterialTest {
    private static TestPki.Issued ca;
    private static TestPki.Issued rsa;
    private static TestPki.Issued ec;
    @TempDir
    Path dir;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("unit-ca");
        rsa = TestPki.server(ca, "RSA");
        ec = TestPki.server(ca, "EC");
    }

    private TlsFiles files(String cert, String key, String caPem) throws Exception {
        Path c = dir.resolve("tls.crt");
        Path k = dir.resolve("tls.key");
        Files.writeString(c, cert);
        Files.writeString(k, key);
        String caFile = "";
        if (caPem != null) {
            Path a = dir.resolve("ca.crt");
            Files.writeString(a, caPem);
            caFile = a.toString();
        }
        return new TlsFiles("otlp", "OTLP_TLS_CERT_FILE", c.toString(), "OTLP_TLS_KEY_FILE", k.toString(), "OTLP_TLS_CA_FILE", caFile);
    }

    private static ManualTimeSource now() {
        return new ManualTimeSource(System.currentTimeMillis());
    }

    private String error(TlsFiles files, long atMs) {
        return assertThrows(TlsFileException.class, () -> ReloadingTls.load(files, new ManualTimeSource(atMs))).getMessage();
    }

    @Test
    void everyKeyEncodingLoads() throws Exception {
        for (TestPki.Issued id : new TestPki.Issued[] {rsa, ec}) {
            String alg = id.key().getAlgorithm();
            assertEquals(id.serial(), ReloadingTls.load(files(id.certPem(), id.keyPem(), null), now()).serial(), alg + " PKCS#8");
            String traditional = id.traditionalKeyPem();
            assertTrue(traditional.contains(alg.equals("RSA") ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY"), traditional);
            assertEquals(id.serial(), ReloadingTls.load(files(id.certPem(), traditional, null), now()).serial(), alg + " PKCS#1/SEC1");
        }
    }

    @Test
    void certificateFileMayHoldTheChainAndCaFileABundle() throws Exception {
        TestPki.Issued other = TestPki.ca("other-ca");
        ReloadingTls tls = ReloadingTls.load(files(ec.certPem() + ca.certPem(), ec.keyPem(), ca.certPem() + other.certPem()), now());
        assertEquals(2, tls.keyManager().getCertificateChain(tls.keyManager().chooseServerAlias("EC", null, null)).length);
        assertEquals(2, tls.trustManager().getAcceptedIssuers().length);
        assertTrue(tls.clientAuth());
        assertNull(ReloadingTls.load(files(ec.certPem(), ec.keyPem(), null), now()).trustManager(), "no CA, no client certificates");
    }

    @Test
    void unusableFilesNameTheSettingTheFileAndTheReason() throws Exception {
        TlsFiles f = files(ec.certPem(), rsa.keyPem(), null);
        assertEquals("OTLP_TLS_KEY_FILE " + f.keyFile() + ": the private key is RSA but the certificate's key is EC (the certificate in"
                + " OTLP_TLS_CERT_FILE " + f.certFile() + ")", error(f, System.currentTimeMillis()));
        TestPki.Issued ec2 = TestPki.server(ca, "EC");
        f = files(ec.certPem(), ec2.keyPem(), null);
        assertTrue(error(f, System.currentTimeMillis()).startsWith("OTLP_TLS_KEY_FILE " + f.keyFile()
                + ": the private key does not match the certificate"));

        f = files("not a certificate", ec.keyPem(), null);
        assertTrue(error(f, System.currentTimeMillis()).startsWith("OTLP_TLS_CERT_FILE " + f.certFile() + ": no PEM certificate"));
        f = files("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", ec.keyPem(), null);
        assertTrue(error(f, System.currentTimeMillis()).startsWith("OTLP_TLS_CERT_FILE " + f.certFile() + ": certificate 1 cannot be parsed"));
        f = files(ec.certPem(), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", null);
        assertEquals("OTLP_TLS_KEY_FILE " + f.keyFile() + ": the private key is encrypted; store it unencrypted (PKCS#8, PKCS#1 or SEC1 PEM)",
                error(f, System.currentTimeMillis()));
        f = files(ec.certPem(), ec.certPem(), null);
        assertTrue(error(f, System.currentTimeMillis()).startsWith("OTLP_TLS_KEY_FILE " + f.keyFile() + ": no PEM private key"));
        f = files(ec.certPem(), ec.keyPem(), "garbage");
        assertTrue(error(f, System.currentTimeMillis()).startsWith("OTLP_TLS_CA_FILE " + f.caFile() + ": no PEM certificate"));

        TlsFiles missing = new TlsFiles("otlp", "OTLP_TLS_CERT_FILE", dir.resolve("nope.crt").toString(), "OTLP_TLS_KEY_FILE",
                f.keyFile(), "OTLP_TLS_CA_FILE", "");
        assertEquals("OTLP_TLS_CERT_FILE " + missing.certFile() + ": file not found", error(missing, System.currentTimeMillis()));
    }

    @Test
    void expiryAndNotYetValidAreCheckedAgainstTheInjectedClock() throws Exception {
        TlsFiles f = files(ec.certPem(), ec.keyPem(), null);
        long notAfter = ec.cert().getNotAfter().getTime();
        long notBefore = ec.cert().getNotBefore().getTime();
        assertEquals("OTLP_TLS_CERT_FILE " + f.certFile() + ": certificate expired on " + Instant.ofEpochMilli(notAfter),
                error(f, notAfter + 1));
        assertEquals("OTLP_TLS_CERT_FILE " + f.certFile() + ": certificate is not valid before " + Instant.ofEpochMilli(notBefore),
                error(f, notBefore - 1));
        assertNotNull(ReloadingTls.load(f, new ManualTimeSource(notAfter)), "valid up to and including notAfter");
        // An expired certificate further up the chain is named too.
        long caExpiry = System.currentTimeMillis() + TestPki.HOUR_MS;
        TestPki.Issued shortCa = TestPki.ca("short-ca", caExpiry);
        TestPki.Issued leaf = TestPki.server(shortCa, "EC");
        f = files(leaf.certPem() + shortCa.certPem(), leaf.keyPem(), null);
        assertEquals("OTLP_TLS_CERT_FILE " + f.certFile() + ": certificate 2 of the chain (CN=short-ca) expired on "
                + Instant.ofEpochMilli(shortCa.cert().getNotAfter().getTime()), error(f, caExpiry + 1000));
    }

    @Test
    void reloadInstallsOnlyChangedFilesThatPassTheChecksAndReportsExpiryOnce() throws Exception {
        ManualTimeSource time = now();
        TlsFiles f = files(ec.certPem(), ec.keyPem(), ca.certPem());
        ReloadingTls tls = ReloadingTls.load(f, time);
        tls.reload();
        assertEquals(0, tls.reloadsSucceeded(), "unchanged files are not reloaded");

        TestPki.Issued next = TestPki.server(ca, "RSA");
        next.write(Path.of(f.certFile()), Path.of(f.keyFile()));
        tls.reload();
        assertEquals(next.serial(), tls.serial());
        assertEquals(1, tls.reloadsSucceeded());
        assertEquals(next.serial(), tls.keyManager().getCertificateChain(tls.keyManager().chooseServerAlias("RSA", null, null))[0]
                .getSerialNumber(), "the same key manager object now presents the new certificate");

        Files.writeString(Path.of(f.certFile()), ec.certPem()); // key and certificate no longer match
        tls.reload();
        assertEquals(next.serial(), tls.serial(), "a failed reload keeps what was installed");
        assertEquals(1, tls.reloadsFailed());
        tls.reload();
        assertEquals(2, tls.reloadsFailed(), "retried (and counted) at every tick until fixed");
        Files.delete(Path.of(f.certFile()));
        tls.reload();
        assertEquals(3, tls.reloadsFailed(), "a missing file keeps the old certificate too");
        next.write(Path.of(f.certFile()), Path.of(f.keyFile()));
        tls.reload();
        assertEquals(1, tls.reloadsSucceeded(), "the same files as installed: nothing to do");

        assertEquals(next.cert().getNotAfter().getTime() / 1000.0, tls.expiryEpochSeconds());
        time.setWallMillis(next.cert().getNotAfter().getTime() + 1);
        tls.reload();
        tls.reload();
        assertEquals(1, tls.expiredCount(), "an expired certificate is reported once");
        assertEquals(3, tls.reloadsFailed(), "an unchanged but expired certificate is not a failed reload");
    }
}
