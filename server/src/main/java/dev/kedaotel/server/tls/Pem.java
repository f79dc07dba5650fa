package dev.kedaotel.server.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM text: X.509 certificates (a file may hold a chain or a CA bundle) and one unencrypted
 * private key in the three encodings tools write — PKCS#8 ({@code BEGIN PRIVATE KEY}: openssl 3,
 * Go), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}), the last
 * two being what cert-manager writes by default ({@code privateKey.encoding: PKCS1}). PKCS#1 and SEC1
 * keys are wrapped into PKCS#8 (a few bytes of DER), so one JDK {@link KeyFactory} path reads all three.
 *
 * <p>Errors are {@link IllegalArgumentException}s with a short reason; {@link TlsMaterial} adds the
 * setting and the file. Stateless; thread-safe.
 */
final class Pem {
    /** rsaEncryption, 1.2.840.113549.1.1.1, as a DER OID. */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1, as a DER OID. */
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Pem() {
    }

    /** One {@code -----BEGIN type-----} block, decoded. */
    record Block(String type, byte[] der, boolean encrypted) {
    }

    static List<Block> blocks(byte[] text) {
        String s = new String(text, StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = s.indexOf("-----BEGIN ", at);
            if (begin < 0) {
                return out;
            }
            int typeEnd = s.indexOf("-----", begin + 11);
            if (typeEnd < 0) {
                throw new IllegalArgumentException("unterminated PEM header");
            }
            String type = s.substring(begin + 11, typeEnd).trim();
            String endMarker = "-----END " + type + "-----";
            int end = s.indexOf(endMarker, typeEnd);
            if (end < 0) {
                throw new IllegalArgumentException("PEM block " + type + " has no END line");
            }
            String body = s.substring(typeEnd + 5, end);
            boolean encrypted = type.contains("ENCRYPTED") || body.contains("Proc-Type: 4,ENCRYPTED");
            byte[] der;
            if (encrypted) {
                der = new byte[0];
            } else {
                try {
                    der = Base64.getMimeDecoder().decode(body.strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("PEM block " + type + " is not valid base64");
                }
            }
            out.add(new Block(type, der, encrypted));
            at = end + endMarker.length();
        }
    }

    /** Every certificate in {@code text}, in file order; at least one. */
    static List<X509Certificate> certificates(byte[] text) {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        for (Block b : blocks(text)) {
            if (!b.type().equals("CERTIFICATE") && !b.type().equals("TRUSTED CERTIFICATE")) {
                continue;
            }
            try {
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("certificate " + (certs.size() + 1) + " cannot be parsed: " + e.getMessage());
            }
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return certs;
    }

    /** The one private key in {@code text}. */
    static PrivateKey privateKey(byte[] text) {
        PrivateKey key = null;
        for (Block b : blocks(text)) {
            if (!b.type().endsWith("PRIVATE KEY")) {
                continue; // e.g. "EC PARAMETERS" written by openssl ecparam -genkey
            }
            if (b.encrypted()) {
                throw new IllegalArgumentException("the private key is encrypted; store it unencrypted (PKCS#8, PKCS#1 or SEC1 PEM)");
            }
            if (key != null) {
                throw new IllegalArgumentException("more than one private key in the file");
            }
            switch (b.type()) {
                case "PRIVATE KEY" -> key = pkcs8(b.der(), "RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
                case "RSA PRIVATE KEY" -> key = pkcs8(wrap(RSA_OID, DER_NULL, b.der()), "RSA");
                case "EC PRIVATE KEY" -> key = pkcs8(wrap(EC_OID, sec1Curve(b.der()), b.der()), "EC");
                default -> throw new IllegalArgumentException("unsupported key block '" + b.type() + "'");
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY) found");
        }
        return key;
    }

    private static PrivateKey pkcs8(byte[] der, String... algorithms) {
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("the private key cannot be parsed (tried " + String.join(", ", algorithms) + ")");
    }

    /** PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, SEQUENCE { oid, params }, OCTET STRING key }. */
    private static byte[] wrap(byte[] oid, byte[] params, byte[] key) {
        byte[] algorithm = tlv(0x30, concat(oid, params));
        return tlv(0x30, concat(VERSION_0, algorithm, tlv(0x04, key)));
    }

    /**
     * The named-curve OID (as a whole DER element) of a SEC1 ECPrivateKey:
     * SEQUENCE { INTEGER 1, OCTET STRING key, [0] ECParameters OPTIONAL, [1] BIT STRING OPTIONAL }.
     */
    private static byte[] sec1Curve(byte[] der) {
        int[] seq = element(der, 0, 0x30);
        int at = seq[1];
        at = element(der, at, 0x02)[2];
        at = element(der, at, 0x04)[2];
        while (at < seq[2]) {
            int[] e = element(der, at, -1);
            if ((der[at] & 0xff) == 0xa0) {
                int[] oid = element(der, e[1], 0x06);
                byte[] out = new byte[oid[2] - e[1]];
                System.arraycopy(der, e[1], out, 0, out.length);
                return out;
            }
            at = e[2];
        }
        throw new IllegalArgumentException("the EC private key names no curve; use PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
    }

    /** {tag offset, content start, content end} of the DER element at {@code at}, checking its tag unless -1. */
    private static int[] element(byte[] der, int at, int tag) {
        if (at + 2 > der.length || (tag >= 0 && (der[at] & 0xff) != tag)) {
            throw new IllegalArgumentException("the private key is not valid DER");
        }
        int len = der[at + 1] & 0xff;
        int start = at + 2;
        if (len > 0x80) {
            int n = len & 0x7f;
            if (n > 3 || start + n > der.length) {
                throw new IllegalArgumentException("the private key is not valid DER");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[start + i] & 0xff);
            }
            start += n;
        } else if (len == 0x80) {
            throw new IllegalArgumentException("the private key is not valid DER");
        }
        if (start + len > der.length) {
            throw new IllegalArgumentException("the private key is not valid DER");
        }
        return new int[] {at, start, start + len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
