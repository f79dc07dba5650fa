package dev.kedaotel.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The leanest honest HTTP/1.1 client: one kept-alive TCP connection (Nagle off), {@code GET} only, reads
 * {@code Content-Length} and chunked bodies. It stands for what Grafana's and KEDA's Go clients do (one
 * pooled connection, a request write, a response read), so a query latency measured with it is the
 * server's latency plus one loopback round trip, not the JDK {@code HttpClient}'s own ~1 ms of
 * per-request machinery (its selector thread, futures and body subscribers), which the probe reports
 * separately. Not thread-safe.
 */
final class KeepAliveHttpClient implements AutoCloseable {
    private final String host;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    KeepAliveHttpClient(String host, int port) throws IOException {
        this.host = host + ":" + port;
        this.socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    /** {@code GET /api/v1/query?query=<q>&time=<time>}; returns the body, or throws on a non-200 status. */
    String query(String promql, String time) throws IOException {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + time);
    }

    String get(String pathAndQuery) throws IOException {
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        long length = -1;
        boolean chunked = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = colon < 0 ? h : h.substring(0, colon).trim();
            String value = colon < 0 ? "" : h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        byte[] body = chunked ? chunkedBody() : in.readNBytes((int) Math.max(length, 0));
        String text = new String(body, StandardCharsets.UTF_8);
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException(status + ": " + text);
        }
        return text;
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailers: none expected, skipped
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line(); // the CRLF after each chunk
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the server mid-response");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
