package dev.kedaotel.server.tls;

import dev.kedaotel.model.TimeSource;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One port's TLS identity (certificate chain and key) and, with mTLS, its client CA, held in grpc-java's
 * {@link AdvancedTlsX509KeyManager} / {@link AdvancedTlsX509TrustManager}, whose content can be replaced
 * in place while servers keep using the same manager objects.
 *
 * <p><b>Why one manager pair serves Netty and Jetty.</b> Both the gRPC ports (Netty, {@link GrpcTls}) and
 * the HTTP ports (Jetty, through {@link #sslContext()}) run the JDK's TLS engine, which asks its key manager
 * for the certificate and its trust manager for the verdict on a client certificate <em>at every
 * handshake</em>. So each server is built once, around these two objects, and a reload is nothing but
 * {@code updateIdentityCredentials} / {@code updateTrustCredentials} on them: no server, connector or
 * SSL context is rebuilt or restarted, and the same code path (and the same checks) covers all four ports.
 *
 * <p><b>Reload.</b> {@link #reload()} is run by the composition root's one {@code maintenance} thread
 * every {@code OTLP_CERTIFICATE_RELOAD_INTERVAL} (this class starts no thread). It reads the files, and
 * only when their bytes differ from what is installed checks them exactly as at startup
 * ({@link TlsMaterial}) and installs them; a check that fails leaves the installed material in place,
 * is logged at warning level naming the setting and file, and counted ({@code result="error"}; it is
 * retried, and counted again, at every tick until the files are fixed). Each tick also compares the
 * installed certificate's expiry with the injected clock: an expired certificate is logged once, with
 * its date, and counted. grpc-java's own file-watching reload is not used: it reloads on modification
 * time without any check and on threads of its own.
 *
 * <p><b>Open connections.</b> A reload changes what <em>new</em> handshakes present and accept. An
 * established TLS connection has its keys already; it is not renegotiated (TLS 1.3 has no renegotiation,
 * and JDK servers refuse client-initiated renegotiation), so open gRPC streams such as KEDA's
 * {@code StreamIsActive} and HTTP keep-alive connections continue undisturbed on the old session.
 *
 * <p>Thread safety: {@link #reload()} is synchronized (the maintenance thread runs it; tests may call it
 * too); handshakes read the managers concurrently (their content is published through volatile fields);
 * the getters read a volatile field and {@link LongAdder}s.
 */
public final class ReloadingTls {
    private static final System.Logger LOG = System.getLogger(ReloadingTls.class.getName());

    private final TlsFiles files;
    private final TimeSource time;
    private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
    /** Null without a client CA. */
    private final AdvancedTlsX509TrustManager trustManager;
    private volatile TlsMaterial current;
    private final LongAdder reloadsOk = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();
    private final LongAdder expired = new LongAdder();
    /** The certificate whose expiry was last logged (guarded by this): log once per certificate. */
    private X509Certificate expiryLogged;

    private ReloadingTls(TlsFiles files, TimeSource time, TlsMaterial material) throws TlsFileException {
        this.files = files;
        this.time = time;
        try {
            this.trustManager = files.mutualTls() ? AdvancedTlsX509TrustManager.newBuilder().build() : null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a trust manager", e);
        }
        install(material);
    }

    /**
     * Reads and checks {@code files} at {@code time}'s now.
     *
     * @throws TlsFileException naming the setting and file that cannot be used, and why
     */
    public static ReloadingTls load(TlsFiles files, TimeSource time) throws TlsFileException {
        TlsMaterial material = TlsMaterial.check(files, files.read(), time.wallMillis());
        return new ReloadingTls(files, time, material);
    }

    private void install(TlsMaterial m) throws TlsFileException {
        if (trustManager != null) {
            try {
                trustManager.updateTrustCredentials(m.clientCas);
            } catch (IOException | GeneralSecurityException e) {
                throw new TlsFileException(files.caSetting(), files.caFile(), "the CA certificates cannot be used: " + e.getMessage(), e);
            }
        }
        keyManager.updateIdentityCredentials(m.chain, m.key);
        current = m;
    }

    /**
     * One reload tick: re-read the files, install them if they changed and pass the checks, and report an
     * expired certificate. Never throws.
     */
    public synchronized void reload() {
        try {
            TlsFiles.Contents contents = files.read();
            if (Arrays.equals(TlsMaterial.digest(contents), current.digest)) {
                return; // unchanged: nothing to check or install
            }
            TlsMaterial fresh = TlsMaterial.check(files, contents, time.wallMillis());
            install(fresh);
            reloadsOk.increment();
            LOG.log(Level.INFO, "TLS certificate of the {0} port reloaded from {1}: serial {2}, subject {3}, valid until {4}",
                    files.port(), files.certFile(), fresh.leaf().getSerialNumber().toString(16),
                    fresh.leaf().getSubjectX500Principal(), TlsMaterial.instant(fresh.leaf().getNotAfter().getTime()));
        } catch (TlsFileException e) {
            reloadsFailed.increment();
            X509Certificate kept = current.leaf();
            LOG.log(Level.WARNING, "TLS reload of the {0} port failed, still serving the certificate loaded before"
                    + " (serial {1}, valid until {2}): {3}", files.port(), kept.getSerialNumber().toString(16),
                    TlsMaterial.instant(kept.getNotAfter().getTime()), e.getMessage());
        } catch (RuntimeException e) {
            reloadsFailed.increment();
            LOG.log(Level.WARNING, "TLS reload of the " + files.port() + " port failed unexpectedly; still serving the certificate loaded before", e);
        } finally {
            checkExpiry();
        }
    }

    private void checkExpiry() {
        X509Certificate leaf = current.leaf();
        if (time.wallMillis() > leaf.getNotAfter().getTime() && expiryLogged != leaf) {
            expiryLogged = leaf;
            expired.increment();
            LOG.log(Level.WARNING, "TLS certificate of the {0} port ({1} {2}, serial {3}) expired on {4}; clients will refuse"
                    + " new connections until it is replaced", files.port(), files.certSetting(), files.certFile(),
                    leaf.getSerialNumber().toString(16), TlsMaterial.instant(leaf.getNotAfter().getTime()));
        }
    }

    /** The swappable identity: give this object, not its current content, to a server. */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /** The swappable client-certificate verifier, or null when client certificates are not asked for. */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /** Whether clients must present a certificate signed by the CA. */
    public boolean clientAuth() {
        return trustManager != null;
    }

    /**
     * A JDK SSLContext over the swappable managers, for servers that take one (Jetty). Without a client CA
     * no trust manager is configured: the server asks for no client certificate, so none is consulted.
     */
    public SSLContext sslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {keyManager}, trustManager == null ? null : new TrustManager[] {trustManager}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS SSLContext", e);
        }
    }

    public TlsFiles files() {
        return files;
    }

    public String port() {
        return files.port();
    }

    /** The installed certificate's serial number. */
    public BigInteger serial() {
        return current.leaf().getSerialNumber();
    }

    /** When the installed certificate expires, in epoch seconds. */
    public double expiryEpochSeconds() {
        return current.leaf().getNotAfter().getTime() / 1000.0;
    }

    public long reloadsSucceeded() {
        return reloadsOk.sum();
    }

    public long reloadsFailed() {
        return reloadsFailed.sum();
    }

    /** Times an installed certificate was seen expired (once per certificate). */
    public long expiredCount() {
        return expired.sum();
    }
}
