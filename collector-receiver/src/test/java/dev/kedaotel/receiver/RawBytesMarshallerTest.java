package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The gRPC request marshaller reads exactly the message, whatever the stream says about its length. */
class RawBytesMarshallerTest {
    private static final byte[] MESSAGE = "0123456789abcdefghij".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A stream that announces {@code announced} bytes available (right, too few, too many or none). */
    private static InputStream announcing(int announced) {
        return new FilterInputStream(new ByteArrayInputStream(MESSAGE)) {
            @Override
            public int available() {
                return announced;
            }
        };
    }

    @Test
    void readsTheWholeMessageWhateverTheAnnouncedLength() throws IOException {
        for (int announced : new int[] {MESSAGE.length, 0, 1, 7, MESSAGE.length - 1, MESSAGE.length + 5}) {
            assertArrayEquals(MESSAGE, OtlpGrpcService.RawBytesMarshaller.readFully(announcing(announced)), "announced " + announced);
        }
        assertArrayEquals(MESSAGE, OtlpGrpcService.RawBytesMarshaller.INSTANCE.parse(new ByteArrayInputStream(MESSAGE)));
        assertArrayEquals(new byte[0], OtlpGrpcService.RawBytesMarshaller.readFully(new ByteArrayInputStream(new byte[0])));
    }
}
