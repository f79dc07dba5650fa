package dev.kedaotel.server.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * One port's certificate chain, private key and optional client CA, checked together: every file parses,
 * the key belongs to the first certificate, and no certificate of the chain is expired or not yet valid
 * at the injected clock's time. The same check runs at startup (failure stops the service) and on every
 * reload (failure keeps the material in use), so nothing unchecked ever reaches a handshake.
 * Immutable.
 */
final class TlsMaterial {
    final X509Certificate[] chain;
    final PrivateKey key;
    /** Client CAs, or null without mTLS. */
    final X509Certificate[] clientCas;
    /** SHA-256 over the three files' bytes: a reload tick with unchanged files does nothing. */
    final byte[] digest;

    private TlsMaterial(X509Certificate[] chain, PrivateKey key, X509Certificate[] clientCas, byte[] digest) {
        this.chain = chain;
        this.key = key;
        this.clientCas = clientCas;
        this.digest = digest;
    }

    X509Certificate leaf() {
        return chain[0];
    }

    /** Parses and checks {@code contents} of {@code files} at {@code nowMillis}. */
    static TlsMaterial check(TlsFiles files, TlsFiles.Contents contents, long nowMillis) throws TlsFileException {
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(contents.cert());
        } catch (IllegalArgumentException e) {
            throw new TlsFileException(files.certSetting(), files.certFile(), e.getMessage());
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            String which = i == 0 ? "certificate" : "certificate " + (i + 1) + " of the chain (" + c.getSubjectX500Principal() + ")";
            if (nowMillis > c.getNotAfter().getTime()) {
                throw new TlsFileException(files.certSetting(), files.certFile(), which + " expired on " + instant(c.getNotAfter().getTime()));
            }
            if (nowMillis < c.getNotBefore().getTime()) {
                throw new TlsFileException(files.certSetting(), files.certFile(), which + " is not valid before "
                        + instant(c.getNotBefore().getTime()));
            }
        }
        PrivateKey key;
        try {
            key = Pem.privateKey(contents.key());
        } catch (IllegalArgumentException e) {
            throw new TlsFileException(files.keySetting(), files.keyFile(), e.getMessage());
        }
        String mismatch = mismatch(key, chain.get(0).getPublicKey());
        if (mismatch != null) {
            throw new TlsFileException(files.keySetting(), files.keyFile(), mismatch + " (the certificate in "
                    + files.certSetting() + " " + files.certFile() + ")");
        }
        X509Certificate[] cas = null;
        if (files.mutualTls()) {
            try {
                cas = Pem.certificates(contents.ca()).toArray(new X509Certificate[0]);
            } catch (IllegalArgumentException e) {
                throw new TlsFileException(files.caSetting(), files.caFile(), e.getMessage());
            }
        }
        return new TlsMaterial(chain.toArray(new X509Certificate[0]), key, cas, digest(contents));
    }

    static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /**
     * Null when {@code key} belongs to {@code certKey}: a signature made with the private key must verify
     * with the certificate's public key (works alike for RSA, EC and EdDSA), else why not.
     */
    private static String mismatch(PrivateKey key, PublicKey certKey) {
        String keyAlg = family(key.getAlgorithm());
        String certAlg = family(certKey.getAlgorithm());
        if (!keyAlg.equals(certAlg)) {
            return "the private key is " + key.getAlgorithm() + " but the certificate's key is " + certKey.getAlgorithm();
        }
        String sigAlg = switch (keyAlg) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        byte[] probe = "keda-otel-scaler key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature sign = Signature.getInstance(sigAlg);
            sign.initSign(key);
            sign.update(probe);
            byte[] sig = sign.sign();
            Signature verify = Signature.getInstance(sigAlg);
            verify.initVerify(certKey);
            verify.update(probe);
            return verify.verify(sig) ? null : "the private key does not match the certificate";
        } catch (GeneralSecurityException | RuntimeException e) {
            return "the private key does not match the certificate (" + e.getMessage() + ")";
        }
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "RSASSA-PSS" -> "RSA-PSS";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> algorithm;
        };
    }

    /** SHA-256 over the three files' bytes. */
    static byte[] digest(TlsFiles.Contents c) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] part : new byte[][] {c.cert(), c.key(), c.ca()}) {
                sha.update(Integer.toString(part.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(part);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
