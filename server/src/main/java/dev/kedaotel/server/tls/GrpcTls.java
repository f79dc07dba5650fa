package dev.kedaotel.server.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;

import javax.net.ssl.SSLException;

/**
 * The Netty {@link SslContext} of a gRPC port (OTLP 4317, KEDA 4318), built once around a
 * {@link ReloadingTls}'s swappable managers, so reloads reach new handshakes without rebuilding the server.
 *
 * <p>Built with Netty's {@code SslContextBuilder} rather than grpc-java's {@code TlsServerCredentials}:
 * the credentials API takes the same key and trust managers but cannot restrict protocols or cipher
 * suites, and {@link TlsPolicy} must hold on every port. The JDK provider is chosen explicitly (not
 * the bundled BoringSSL): cipher names are then the JDK's, exactly as on the Jetty ports, and every
 * handshake asks the managers — which is what makes an in-place reload visible.
 * {@link GrpcSslContexts#configure} adds what gRPC needs (ALPN {@code h2}).
 */
public final class GrpcTls {
    private GrpcTls() {
    }

    public static SslContext serverContext(ReloadingTls tls) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(tls.keyManager());
        GrpcSslContexts.configure(b, SslProvider.JDK);
        if (tls.clientAuth()) {
            b.trustManager(tls.trustManager()).clientAuth(ClientAuth.REQUIRE);
        }
        b.protocols(TlsPolicy.PROTOCOLS).ciphers(TlsPolicy.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
        return b.build();
    }
}
