package dev.kedaotel.bench;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A piece of protobuf wire format written with {@link CodedOutputStream}, plus the offsets of the
 * fixed-width fields ("slots") whose contents change every round: a feeder encodes each request once
 * with placeholder values and then only overwrites its slots, so sending a round costs no encoding.
 * Nested messages are built inside out ({@link #message}): the child's bytes get a tag and length and
 * its slot offsets move by that header. Slots keep the order they were written in.
 */
final class ProtoChunk {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 256);
    private int[] slots = new int[4];
    private int slotCount;

    ProtoChunk string(int field, String value) {
        return write(() -> out.writeString(field, value));
    }

    ProtoChunk varint(int field, long value) {
        return write(() -> out.writeInt64(field, value));
    }

    ProtoChunk fixed64(int field, long value) {
        return write(() -> out.writeFixed64(field, value));
    }

    ProtoChunk doubleValue(int field, double value) {
        return write(() -> out.writeDouble(field, value));
    }

    /** A {@code fixed64} or {@code double} field whose 8 little-endian bytes are a slot. */
    ProtoChunk fixed64Slot(int field) {
        return write(() -> {
            out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_FIXED64);
            slot();
            out.writeFixed64NoTag(0);
        });
    }

    /**
     * An {@code int64} varint field holding {@code sample}, a slot of exactly
     * {@link #VARINT6} bytes: millisecond timestamps between 2^35 (1971) and 2^42 (2109) all take 6, so
     * any of them can replace another in place.
     */
    ProtoChunk varint6Slot(int field, long sample) {
        if (CodedOutputStream.computeInt64SizeNoTag(sample) != VARINT6) {
            throw new IllegalArgumentException("timestamp " + sample + " is not a 6-byte varint");
        }
        return write(() -> {
            out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_VARINT);
            slot();
            out.writeInt64NoTag(sample);
        });
    }

    static final int VARINT6 = 6;

    /** A packed repeated {@code fixed64} field of {@code count} slots. */
    ProtoChunk packedFixed64Slots(int field, int count) {
        return write(() -> {
            out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(8 * count);
            for (int i = 0; i < count; i++) {
                slot();
                out.writeFixed64NoTag(0);
            }
        });
    }

    /** A packed repeated {@code double} field of constants. */
    ProtoChunk packedDoubles(int field, double[] values) {
        return write(() -> {
            out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(8 * values.length);
            for (double v : values) {
                out.writeDoubleNoTag(v);
            }
        });
    }

    /** Field {@code field} holding {@code child} as a message; the child's slots become this chunk's. */
    ProtoChunk message(int field, ProtoChunk child) {
        byte[] body = child.toByteArray();
        write(() -> {
            out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(body.length);
        });
        int shift = size();
        for (int i = 0; i < child.slotCount; i++) {
            addSlot(shift + child.slots[i]);
        }
        return write(() -> out.writeRawBytes(body));
    }

    int size() {
        return out.getTotalBytesWritten();
    }

    byte[] toByteArray() {
        flush();
        return bytes.toByteArray();
    }

    /** The slot offsets, in the order written. */
    int[] slots() {
        return Arrays.copyOf(slots, slotCount);
    }

    private void slot() {
        addSlot(size());
    }

    private void addSlot(int offset) {
        if (slotCount == slots.length) {
            slots = Arrays.copyOf(slots, slotCount * 2);
        }
        slots[slotCount++] = offset;
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProtoChunk write(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /** Writes {@code v} as 8 little-endian bytes at {@code off} (a fixed64 / double slot). */
    static void putLongLE(byte[] b, int off, long v) {
        OtlpRequests.putLongLE(b, off, v);
    }

    /** The 6-byte varint of {@code v} (see {@link #varint6Slot}). */
    static byte[] varint6(long v) {
        byte[] b = new byte[VARINT6];
        for (int i = 0; i < VARINT6; i++) {
            b[i] = (byte) ((v >>> (7 * i)) & 0x7F | (i < VARINT6 - 1 ? 0x80 : 0));
        }
        if (v >>> (7 * VARINT6) != 0 || v >>> (7 * (VARINT6 - 1)) == 0) {
            throw new IllegalArgumentException(v + " is not a 6-byte varint");
        }
        return b;
    }
}
