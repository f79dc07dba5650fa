package dev.kedaotel.server.http;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.server.tls.ReloadingTls;
import dev.kedaotel.server.tls.TestPki;
import dev.kedaotel.server.tls.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request-head deadline inside TLS: it times the HTTP connection within the TLS connection (not the
 * TLS records, which would cut every keep-alive connection 10 s after its handshake), so a dripping head
 * is cut off while idle and freshly handshaken connections are not.
 */
class TlsHeadDeadlineTest {
    @TempDir
    Path dir;
    private HttpApiServer server;
    private final List<SSLSocket> sockets = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        for (SSLSocket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private SSLSocket connect(SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.port());
        sockets.add(s);
        s.startHandshake();
        return s;
    }

    private static void send(SSLSocket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    @Test
    void aDrippingHeadInsideTlsIsCutOffButIdleConnectionsAreNot() throws Exception {
        TestPki.Issued ca = TestPki.ca("ca");
        TestPki.Issued cert = TestPki.server(ca, "EC");
        cert.write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        ReloadingTls tls = ReloadingTls.load(new TlsFiles("rest_api", "REST_API_TLS_CERT_FILE", dir.resolve("tls.crt").toString(),
                "REST_API_TLS_KEY_FILE", dir.resolve("tls.key").toString(), "REST_API_TLS_CA_FILE", ""),
                new ManualTimeSource(System.currentTimeMillis()));
        server = new HttpApiServer("test");
        server.route("/health", Set.of("GET"), HttpApiServer.Lane.INLINE, r -> HttpReplies.text(r, 200, "ok\n"));
        server.start("127.0.0.1", 0, tls);
        SSLContext ctx = TestPki.clientContext(null, ca.cert(), new AtomicReference<>());

        SSLSocket idle = connect(ctx);
        send(idle, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(readResponse(idle.getInputStream()).startsWith("HTTP/1.1 200"));
        connect(ctx); // handshaken, no request yet
        SSLSocket slow = connect(ctx);
        send(slow, "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        long t = 0;
        for (int i = 0; i < 2_000 && server.requestHeadsInProgress() == 0; i++) {
            assertEquals(0, server.closeSlowRequestHeads(t), "nothing is cut before the deadline");
            Thread.sleep(5);
        }
        assertEquals(1, server.requestHeadsInProgress(), "only the dripping head is being timed");
        assertEquals(0, server.closeSlowRequestHeads(t + 9_999_000_000L), "within the 10 s deadline");
        assertEquals(1, server.closeSlowRequestHeads(t + 10_000_000_000L), "past it: closed");
        slow.setSoTimeout(10_000);
        try {
            assertEquals(-1, slow.getInputStream().read(), "the dripping client's connection is closed");
        } catch (IOException closed) {
            // an abrupt close is a close too
        }
        send(idle, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(readResponse(idle.getInputStream()).startsWith("HTTP/1.1 200"), "the idle connection still serves");
    }

    private static String readResponse(InputStream in) throws IOException {
        String status = line(in);
        int length = 0;
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            if (l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(l.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
