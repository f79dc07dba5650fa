package dev.kedaotel.server.http;

import dev.kedaotel.receiver.BytesInFlight;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serving layer through real sockets: lanes (a full lane answers 503 with Retry-After while inline
 * routes still answer), bodies read before a worker is taken, size limits, and slow clients that hold
 * connections but no threads. The blocking route is released by the test, so nothing depends on timing.
 */
class HttpApiServerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final ThreadPoolExecutor oneWorker = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(1));
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Socket> sockets = new ArrayList<>();
    private HttpApiServer server;

    @AfterEach
    void tearDown() throws IOException {
        release.countDown();
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        oneWorker.shutdownNow();
    }

    private void start(BytesInFlight budget) throws IOException {
        HttpApiServer.Lane work = new HttpApiServer.Lane("work", oneWorker, 1024, budget,
                r -> HttpReplies.promError(r, 503, "unavailable", "busy"));
        server = new HttpApiServer("test");
        server.route("/health", Set.of("GET"), HttpApiServer.Lane.INLINE, r -> HttpReplies.text(r, 200, "ok\n"));
        server.route("/block", Set.of("GET"), work, r -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            HttpReplies.text(r, 200, "released\n");
        });
        server.route("/echo", Set.of("POST"), work, r -> HttpReplies.send(r, 200, "text/plain",
                HttpRequest.readAll(r.body(), 1 << 20)));
        server.route("/form", Set.of("POST"), work, r -> HttpReplies.text(r, 200, r.param("q") + "|" + r.params("m[]")));
        server.start("127.0.0.1", 0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return CLIENT.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
    }

    /** Opens a raw connection and sends {@code text} without finishing the request. */
    private Socket partial(String text) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    @Test
    void aFullLaneAnswers503WithRetryAfterWhileInlineRoutesStillAnswer() throws Exception {
        start(null);
        // One request runs (blocked by the test), one waits in the queue: the lane is full.
        partial("GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
        partial("GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
        awaitLaneFull();
        HttpResponse<String> refused = get("/block");
        assertEquals(503, refused.statusCode());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
        assertEquals("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"busy\"}", refused.body());
        assertEquals(200, get("/health").statusCode(), "health is answered inline, not behind the lane");
        release.countDown();
        for (int i = 0; i < 2_000 && oneWorker.getActiveCount() + oneWorker.getQueue().size() > 0; i++) {
            Thread.sleep(5);
        }
        assertEquals("released\n", get("/block").body(), "the lane works again once freed");
    }

    private void awaitLaneFull() throws InterruptedException {
        for (int i = 0; i < 2_000 && !(oneWorker.getActiveCount() == 1 && oneWorker.getQueue().size() == 1); i++) {
            Thread.sleep(5);
        }
        assertEquals(1, oneWorker.getQueue().size(), "the second request waits in the queue");
    }

    @Test
    void slowBodiesHoldNoWorker() throws Exception {
        start(null);
        // Ten requests that promised 100 bytes of body and sent 5: none of them has reached the lane.
        for (int i = 0; i < 10; i++) {
            partial("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhello");
        }
        // With one worker and one queue slot, a worker held by any of them would refuse this with 503.
        HttpResponse<String> echo = post("/echo", "text/plain", "abc");
        assertEquals(200, echo.statusCode());
        assertEquals("abc", echo.body());
        assertEquals(1, oneWorker.getCompletedTaskCount() + oneWorker.getActiveCount(), "only the echo reached the lane");
    }

    @Test
    void slowHeadersHoldNoThread() throws Exception {
        start(null);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            slow.add(partial("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "));
        }
        for (int round = 0; round < 3; round++) {
            for (Socket s : slow) {
                s.getOutputStream().write('a');
                s.getOutputStream().flush();
            }
            assertEquals(200, get("/health").statusCode());
            assertEquals(200, post("/echo", "text/plain", "x").statusCode());
        }
    }

    @Test
    void aRequestHeadThatKeepsDrippingIsCutOffButIdleAndServingConnectionsAreNot() throws Exception {
        start(null);
        // A kept-alive connection that has finished a request and now idles.
        Socket idle = partial("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(readResponse(idle.getInputStream()).startsWith("HTTP/1.1 200"));
        // A request still running on its lane.
        partial("GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
        awaitActive(1);
        // A client dripping its head.
        Socket slow = partial("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        long t = 0;
        for (int i = 0; i < 2_000 && server.requestHeadsInProgress() == 0; i++) {
            assertEquals(0, server.closeSlowRequestHeads(t), "nothing is cut before the deadline");
            Thread.sleep(5);
        }
        assertEquals(1, server.requestHeadsInProgress(), "only the dripping head is being timed");
        slow.getOutputStream().write('z');
        assertEquals(0, server.closeSlowRequestHeads(t + 9_999_000_000L), "within the 10 s deadline");
        assertEquals(1, server.closeSlowRequestHeads(t + 10_000_000_000L), "past it: closed");
        assertEquals(-1, readOrEnd(slow), "the dripping client's connection is closed");
        // The idle connection still serves, and the blocked request is still running.
        idle.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(readResponse(idle.getInputStream()).startsWith("HTTP/1.1 200"));
        assertEquals(1, oneWorker.getActiveCount());
    }

    private void awaitActive(int n) throws InterruptedException {
        for (int i = 0; i < 2_000 && oneWorker.getActiveCount() != n; i++) {
            Thread.sleep(5);
        }
        assertEquals(n, oneWorker.getActiveCount());
    }

    /** Reads one whole response (head and Content-Length body); returns its status line. */
    private static String readResponse(InputStream in) throws IOException {
        String status = firstLine(in);
        int length = 0;
        for (String line = firstLine(in); !line.isEmpty(); line = firstLine(in)) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }

    /** The next byte, or -1 at the end of the stream (a reset counts as the end). */
    private static int readOrEnd(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        try {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // drain what was sent before the close
            }
            return -1;
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    @Test
    void sizeLimitsAnswerWithTheRightStatus() throws Exception {
        start(null);
        assertEquals(414, get("/health?q=" + "a".repeat(64 * 1024)).statusCode());
        Socket s = partial("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(64 * 1024) + "\r\n\r\n");
        String status = firstLine(s.getInputStream());
        assertTrue(status.startsWith("HTTP/1.1 431"), status);
        HttpResponse<String> tooBig = post("/echo", "text/plain", "c".repeat(2048));
        assertEquals(413, tooBig.statusCode());
        assertTrue(tooBig.body().contains("\"errorType\":\"bad_data\"") && tooBig.body().contains("1024"), tooBig.body());
        // Without a Content-Length (chunked), the limit is found while the body is read.
        Socket chunked = partial("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "800\r\n" + "c".repeat(2048) + "\r\n0\r\n\r\n");
        assertEquals("HTTP/1.1 413 Payload Too Large", readResponse(chunked.getInputStream()));
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void formsAreReadOnTheLaneAndBadOnesAreBadData() throws Exception {
        start(null);
        assertEquals("sum(x)|[a, b]", post("/form?m[]=a", "application/x-www-form-urlencoded", "q=sum%28x%29&m%5B%5D=b").body());
        HttpResponse<String> bad = post("/form", "application/x-www-form-urlencoded", "q=%zz");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("\"errorType\":\"bad_data\""), bad.body());
        HttpResponse<String> method = get("/form");
        assertEquals(405, method.statusCode());
        assertEquals("POST", method.headers().firstValue("Allow").orElse(""));
        assertEquals(404, get("/nothing").statusCode());
    }

    @Test
    void aSpentBudgetRefusesFurtherBodies() throws Exception {
        BytesInFlight budget = new BytesInFlight(100);
        start(budget);
        // A body that declared 100 bytes and is still arriving holds the whole budget.
        partial("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhello");
        for (int i = 0; i < 2_000 && budget.used() != 100; i++) {
            Thread.sleep(5);
        }
        assertEquals(100, budget.used());
        HttpResponse<String> refused = post("/echo", "text/plain", "x");
        assertEquals(503, refused.statusCode());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    void http2CleartextIsServed() throws Exception {
        start(null);
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> r = h2.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/health")).GET().build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString().trim();
    }
}
