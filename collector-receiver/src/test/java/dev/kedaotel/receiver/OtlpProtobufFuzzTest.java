package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the OTLP decode path (the gRPC transport's, and OTLP/HTTP protobuf's): arbitrary bytes as
 * an {@code ExportMetricsServiceRequest} into {@link OtlpIngestor#export(byte[], ReceiverStats.Transport)}
 * over a real store. It returns an {@link ExportResult} (rejections counted, with a message when there are
 * any) or throws {@link MalformedOtlpException} with a message, having stored nothing; any other
 * exception, a hang or running out of memory is a finding. Seeds (valid requests of every metric type,
 * written by {@link OtlpFuzzSeeds}):
 * {@code src/test/resources/dev/kedaotel/receiver/OtlpProtobufFuzzTestInputs/export/}; see docs/fuzzing.md.
 */
class OtlpProtobufFuzzTest {
    // Static: JUnit makes a test instance per input in regression mode, and one store must serve them all.
    private static final OtlpFuzzing fixture = new OtlpFuzzing();

    @FuzzTest
    void export(byte[] request) {
        OtlpIngestor ingestor = fixture.ingestor();
        ExportResult result;
        try {
            result = ingestor.export(request, ReceiverStats.Transport.GRPC);
        } catch (MalformedOtlpException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "malformed request without a message");
            assertEquals(0, fixture.appends(), () -> "a rejected request stored points: " + e.getMessage());
            return;
        }
        assertNotNull(result);
        assertTrue(result.rejectedDataPoints() >= 0, result::toString);
        if (result.rejectedDataPoints() > 0) {
            assertTrue(!result.errorMessage().isBlank(), () -> "rejected points without a message: " + result);
        }
    }
}
