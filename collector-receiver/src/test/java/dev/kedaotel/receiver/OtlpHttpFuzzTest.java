package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Fuzz target for OTLP/HTTP bodies through {@link OtlpHttpHandler#handle(String, String, java.io.InputStream, long)}:
 * JSON bodies (parsed by protobuf's {@code JsonFormat}, then the decode path) and gzip bodies, with a
 * 64 KiB limit after decompression. The first input byte picks the request, the rest is the body:
 * <ul>
 *   <li>bit 0: {@code application/json} when set, else {@code application/x-protobuf};</li>
 *   <li>bit 1: the body is gzip-compressed here and sent with {@code Content-Encoding: gzip};</li>
 *   <li>bit 2 (without bit 1): the body is sent as it is, claiming {@code Content-Encoding: gzip}, so the
 *       fuzzer reaches the decompressor with broken streams.</li>
 * </ul>
 * The reply must be 200, 400, 413 or 415, an error reply must have a body (the {@code google.rpc.Status}
 * or text naming the problem); a 5xx, an exception, a hang or running out of memory is a finding. Seeds:
 * {@code src/test/resources/dev/kedaotel/receiver/OtlpHttpFuzzTestInputs/handle/} (written by
 * {@link OtlpFuzzSeeds}); see docs/fuzzing.md.
 */
class OtlpHttpFuzzTest {
    static final int JSON = 1;
    static final int GZIP = 2;
    static final int CLAIM_GZIP = 4;
    private static final long MAX_BYTES = 64 * 1024;
    private static final Set<Integer> EXPECTED = Set.of(200, 400, 413, 415);

    // Static: JUnit makes a test instance per input in regression mode, and one store must serve them all.
    private static final OtlpFuzzing fixture = new OtlpFuzzing();

    @FuzzTest
    void handle(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int mode = data[0];
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        String type = (mode & JSON) != 0 ? OtlpHttpHandler.JSON : OtlpHttpHandler.PROTOBUF;
        String encoding = null;
        if ((mode & GZIP) != 0) {
            body = gzip(body);
            encoding = "gzip";
        } else if ((mode & CLAIM_GZIP) != 0) {
            encoding = "gzip";
        }
        OtlpHttpHandler handler = new OtlpHttpHandler(fixture.ingestor());
        HttpReply reply = handler.handle(type, encoding, new ByteArrayInputStream(body), MAX_BYTES);
        assertNotNull(reply);
        assertTrue(EXPECTED.contains(reply.status()), () -> "HTTP " + reply.status() + ": " + new String(reply.body()));
        if (reply.status() != 200) {
            assertTrue(reply.body().length > 0, () -> "HTTP " + reply.status() + " without a body");
        }
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
