package dev.kedaotel.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * OTLP/HTTP {@code POST /v1/metrics}, independent of any HTTP server: the caller passes the request's
 * Content-Type, Content-Encoding and body, and writes back the returned {@link HttpReply}.
 *
 * <ul>
 *   <li>{@code application/x-protobuf}: the bytes go to {@link OtlpIngestor} as they are;</li>
 *   <li>{@code application/json}: parsed into the generated request with {@code JsonFormat} (unknown
 *       fields ignored), re-serialised and ingested the same way (the slow path);</li>
 *   <li>{@code Content-Encoding: gzip} is decompressed; the size limit applies to the decompressed body
 *       (413);</li>
 *   <li>bad data → 400 with a {@code google.rpc.Status} body; other content types or encodings → 415.</li>
 * </ul>
 * Success and error bodies use the request's type (protobuf or JSON). Thread-safe: stateless apart
 * from the ingestor.
 */
public final class OtlpHttpHandler {
    public static final String PATH = "/v1/metrics";
    public static final String PROTOBUF = "application/x-protobuf";
    public static final String JSON = "application/json";

    private static final System.Logger LOG = System.getLogger(OtlpHttpHandler.class.getName());
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final OtlpIngestor ingestor;

    public OtlpHttpHandler(OtlpIngestor ingestor) {
        this.ingestor = ingestor;
    }

    /** Handles one POST body with the configured {@link ReceiverConfig#maxMessageBytes()} limit. */
    public HttpReply handle(String contentType, String contentEncoding, InputStream body) {
        return handle(contentType, contentEncoding, body, ingestor.config().maxMessageBytes());
    }

    /**
     * Handles one POST body.
     *
     * @param contentType the Content-Type header (parameters such as charset are ignored); may be null
     * @param contentEncoding the Content-Encoding header; null, empty or {@code identity} for none
     * @param maxBytes the largest accepted body after decompression
     */
    public HttpReply handle(String contentType, String contentEncoding, InputStream body, long maxBytes) {
        return handle(contentType, contentEncoding, body, null, maxBytes);
    }

    /**
     * Handles one POST body that the HTTP server has already read completely: an uncompressed protobuf
     * body is exported as it is, without another copy.
     */
    public HttpReply handle(String contentType, String contentEncoding, byte[] body, long maxBytes) {
        return handle(contentType, contentEncoding, null, body, maxBytes);
    }

    private HttpReply handle(String contentType, String contentEncoding, InputStream stream, byte[] whole, long maxBytes) {
        InputStream body = stream != null ? stream : new java.io.ByteArrayInputStream(whole);
        String type = mediaType(contentType);
        boolean json;
        if (PROTOBUF.equals(type)) {
            json = false;
        } else if (JSON.equals(type)) {
            json = true;
        } else {
            return text(415, "unsupported Content-Type \"" + contentType + "\"; use " + PROTOBUF + " or " + JSON);
        }
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        byte[] bytes;
        try {
            InputStream in;
            if ((encoding.isEmpty() || encoding.equals("identity")) && whole != null) {
                in = null; // already here, in one piece
            } else if (encoding.isEmpty() || encoding.equals("identity")) {
                in = body;
            } else if (encoding.equals("gzip")) {
                in = new GZIPInputStream(body);
            } else {
                return text(415, "unsupported Content-Encoding \"" + contentEncoding + "\"; use gzip or none");
            }
            bytes = in == null ? (whole.length > maxBytes ? null : whole) : readAtMost(in, maxBytes);
        } catch (ZipException e) {
            ingestor.stats().recordUnreadable(ReceiverStats.Transport.HTTP);
            return status(400, Code.INVALID_ARGUMENT, "invalid gzip body: " + e.getMessage(), json);
        } catch (IOException e) {
            ingestor.stats().recordUnreadable(ReceiverStats.Transport.HTTP);
            return status(400, Code.INVALID_ARGUMENT, "could not read request body: " + e.getMessage(), json);
        }
        if (bytes == null) {
            ingestor.stats().recordOversized(ReceiverStats.Transport.HTTP);
            return status(413, Code.RESOURCE_EXHAUSTED, "request body exceeds the limit of " + maxBytes
                    + " bytes (after decompression)", json);
        }
        if (json) {
            try {
                ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
                JSON_PARSER.merge(new String(bytes, StandardCharsets.UTF_8), request);
                bytes = request.build().toByteArray();
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                ingestor.stats().recordUnreadable(ReceiverStats.Transport.HTTP);
                return status(400, Code.INVALID_ARGUMENT, "invalid OTLP JSON: " + e.getMessage(), true);
            }
        }
        ExportResult result;
        try {
            result = ingestor.export(bytes, ReceiverStats.Transport.HTTP);
        } catch (MalformedOtlpException e) {
            return status(400, Code.INVALID_ARGUMENT, e.getMessage(), json);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "OTLP/HTTP export failed", e);
            return status(500, Code.INTERNAL, "export failed: " + e, json);
        }
        if (!json) {
            return new HttpReply(200, PROTOBUF, result.toProtobuf());
        }
        try {
            return new HttpReply(200, JSON, JSON_PRINTER.print(result.toResponse()).getBytes(StandardCharsets.UTF_8));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print an ExportMetricsServiceResponse as JSON", e);
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Reads the whole stream, or returns null as soon as it is longer than {@code max}. */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, max);
        byte[] all = in.readNBytes(cap);
        if (all.length == cap && in.read() >= 0) {
            return null;
        }
        return all;
    }

    private static HttpReply status(int httpStatus, Code code, String message, boolean json) {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message)
                .build();
        if (!json) {
            return new HttpReply(httpStatus, PROTOBUF, status.toByteArray());
        }
        try {
            return new HttpReply(httpStatus, JSON, JSON_PRINTER.print(status).getBytes(StandardCharsets.UTF_8));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print a google.rpc.Status as JSON", e);
        }
    }

    private static HttpReply text(int httpStatus, String message) {
        return new HttpReply(httpStatus, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
    }
}
