package dev.kedaotel.receiver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A bounds-checked reader of the protobuf wire format over a byte array: varints, fixed 64/32-bit
 * values and length-delimited fields. It never allocates and never reads outside {@code [pos, limit)}:
 * every violation becomes a {@link MalformedOtlpException} naming the offset (relative to the start of
 * the request), so garbage input can neither throw an unchecked exception nor loop.
 *
 * <p>Nested messages are read by narrowing {@link #limit} to the message's end and restoring it after
 * (see {@link #enter()} / {@link #leave(int, int)}). Not thread-safe; one per ingest worker.
 */
final class ProtoCursor {
    /** Little-endian 64-bit reads, as protobuf encodes fixed64 and double: one load instead of eight. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    byte[] buf;
    int pos;
    int limit;
    private int base;

    void reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
        this.base = off;
    }

    /** Drops the reference to the request bytes so an idle worker does not keep the last request alive. */
    void release() {
        buf = null;
        pos = 0;
        limit = 0;
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** Offset relative to the request start, for error messages. */
    int offset(int absolute) {
        return absolute - base;
    }

    MalformedOtlpException error(String what, int absolute) {
        return new MalformedOtlpException(what, offset(absolute));
    }

    int readTag() throws MalformedOtlpException {
        int at = pos;
        long tag = readVarint();
        if (tag >>> 32 != 0 || (tag >>> 3) == 0) {
            throw error("invalid field tag " + Long.toUnsignedString(tag), at);
        }
        int wireType = (int) tag & 7;
        if (wireType != VARINT && wireType != FIXED64 && wireType != LEN && wireType != FIXED32) {
            throw error("unsupported wire type " + wireType + " for field " + (tag >>> 3), at);
        }
        return (int) tag;
    }

    long readVarint() throws MalformedOtlpException {
        // Fast path: tags, lengths under 128 and small ints are one byte.
        if (pos < limit) {
            byte b = buf[pos];
            if (b >= 0) {
                pos++;
                return b;
            }
        }
        return readVarintSlow();
    }

    private long readVarintSlow() throws MalformedOtlpException {
        int at = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw error("truncated varint", at);
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw error("varint longer than 10 bytes", at);
    }

    long readFixed64() throws MalformedOtlpException {
        if (limit - pos < 8) {
            throw error("truncated 64-bit value", pos);
        }
        int p = pos;
        pos = p + 8;
        return (long) LONGS.get(buf, p);
    }

    double readDouble() throws MalformedOtlpException {
        return Double.longBitsToDouble(readFixed64());
    }

    /** Reads a length prefix and returns the absolute end of the payload, which starts at {@link #pos}. */
    int readLengthEnd() throws MalformedOtlpException {
        int at = pos;
        long len = readVarint();
        if (len < 0 || len > limit - pos) {
            throw error("length " + len + " runs past the end of the enclosing message", at);
        }
        return pos + (int) len;
    }

    /** Narrows the limit to a length-delimited payload; returns the previous limit for {@link #leave}. */
    int enter() throws MalformedOtlpException {
        int end = readLengthEnd();
        int saved = limit;
        limit = end;
        return saved;
    }

    /** Continues after a payload entered with {@link #enter()}: positions at its end and restores the limit. */
    void leave(int savedLimit, int end) {
        pos = end;
        limit = savedLimit;
    }

    void skip(int wireType) throws MalformedOtlpException {
        switch (wireType) {
            case VARINT:
                readVarint();
                break;
            case FIXED64:
                skipBytes(8, "truncated 64-bit value");
                break;
            case LEN:
                pos = readLengthEnd();
                break;
            case FIXED32:
                skipBytes(4, "truncated 32-bit value");
                break;
            default:
                throw error("unsupported wire type " + wireType, pos);
        }
    }

    private void skipBytes(int n, String what) throws MalformedOtlpException {
        if (limit - pos < n) {
            throw error(what, pos);
        }
        pos += n;
    }
}
