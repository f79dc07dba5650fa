package dev.kedaotel.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Throwaway certificates for the TLS tests, generated in the test with Bouncy Castle: a CA, server
 * certificates for 127.0.0.1 / localhost, client certificates, written as PEM files; and client-side
 * SSL contexts that record which server certificate a handshake saw.
 */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(1000);
    public static final long HOUR_MS = 3_600_000L;

    private TestPki() {
    }

    /** A certificate with its key (and the CA certificate that signed it, or itself for a CA). */
    public record Issued(X509Certificate cert, PrivateKey key, X509Certificate issuer) {
        public BigInteger serial() {
            return cert.getSerialNumber();
        }

        public String certPem() {
            return pem(cert);
        }

        /** PKCS#8 ({@code BEGIN PRIVATE KEY}). */
        public String keyPem() {
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        }

        /**
         * OpenSSL's traditional encoding: PKCS#1 for RSA, SEC1 with its named curve for EC (what openssl and
         * cert-manager's default write; the JDK's own PKCS#8 leaves the curve out of the inner SEC1 part).
         */
        public String traditionalKeyPem() {
            if (!(key instanceof java.security.interfaces.ECPrivateKey ecKey)) {
                return pem(key);
            }
            try {
                byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ecKey.getS(),
                        org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1).getEncoded();
                return "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(sec1) + "\n-----END EC PRIVATE KEY-----\n";
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public void write(Path certFile, Path keyFile) throws IOException {
            Files.writeString(certFile, certPem());
            Files.writeString(keyFile, keyPem());
        }
    }

    public static Issued ca(String name) throws Exception {
        return ca(name, System.currentTimeMillis() + 24 * HOUR_MS);
    }

    public static Issued ca(String name, long notAfterMs) throws Exception {
        KeyPair kp = keyPair("EC");
        long now = System.currentTimeMillis();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, nextSerial(), new Date(now - HOUR_MS),
                new Date(notAfterMs), subject, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate cert = sign(b, kp.getPrivate());
        return new Issued(cert, kp.getPrivate(), cert);
    }

    /** A server certificate for 127.0.0.1 and localhost, valid from now - 1 h to now + 1 day. */
    public static Issued server(Issued ca, String keyAlgorithm) throws Exception {
        long now = System.currentTimeMillis();
        return server(ca, keyAlgorithm, now - HOUR_MS, now + 24 * HOUR_MS);
    }

    public static Issued server(Issued ca, String keyAlgorithm, long notBeforeMs, long notAfterMs) throws Exception {
        KeyPair kp = keyPair(keyAlgorithm);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), nextSerial(), new Date(notBeforeMs),
                new Date(notAfterMs), new X500Name("CN=keda-otel-scaler"), kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new Issued(sign(b, ca.key()), kp.getPrivate(), ca.cert());
    }

    public static Issued client(Issued ca, String name) throws Exception {
        KeyPair kp = keyPair("EC");
        long now = System.currentTimeMillis();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), nextSerial(), new Date(now - HOUR_MS),
                new Date(now + 24 * HOUR_MS), new X500Name("CN=" + name), kp.getPublic());
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new Issued(sign(b, ca.key()), kp.getPrivate(), ca.cert());
    }

    public static KeyPair keyPair(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws Exception {
        String alg = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
    }

    static String pem(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sw.toString();
    }

    /**
     * A client SSLContext trusting {@code ca}, presenting {@code client} (or no certificate when null), and
     * recording the certificate the server presented in {@code seen}.
     */
    public static SSLContext clientContext(Issued client, X509Certificate ca, AtomicReference<X509Certificate> seen)
            throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(client == null ? null : keyManagers(client), new TrustManager[] {recordingTrustManager(ca, seen)}, null);
        return ctx;
    }

    public static KeyManager[] keyManagers(Issued identity) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("id", identity.key(), new char[0], new X509Certificate[] {identity.cert(), identity.issuer()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        return kmf.getKeyManagers();
    }

    /** Verifies the server against {@code ca} (hostname included) and records its leaf certificate. */
    public static X509ExtendedTrustManager recordingTrustManager(X509Certificate ca, AtomicReference<X509Certificate> seen)
            throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        X509ExtendedTrustManager delegate = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        return new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                seen.set(chain[0]);
                delegate.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                seen.set(chain[0]);
                delegate.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                seen.set(chain[0]);
                delegate.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return delegate.getAcceptedIssuers();
            }
        };
    }
}
