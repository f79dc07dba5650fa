package dev.kedaotel.bench;

import io.airlift.compress.snappy.SnappyCompressor;

/**
 * One Prometheus remote-write request (protocol 0.1.0) for a contiguous range of the workload's series,
 * encoded once by hand from the public {@code prompb} definition:
 * {@code WriteRequest{repeated TimeSeries timeseries = 1}}, {@code TimeSeries{repeated Label labels = 1;
 * repeated Sample samples = 2}}, {@code Label{string name = 1; string value = 2}},
 * {@code Sample{double value = 1; int64 timestamp = 2}}. Each series carries one sample whose value
 * (a double slot) and millisecond timestamp (a 6-byte varint slot) are overwritten every round, then
 * the body is snappy block-compressed (what the remote-write protocol requires). Not thread-safe:
 * one round at a time.
 */
final class RemoteWriteBatch {
    private final int first;
    private final int count;
    private final byte[] body;
    private final int[] slots;
    private final byte[] compressed;
    private final SnappyCompressor snappy = new SnappyCompressor();
    private int compressedLength;

    RemoteWriteBatch(PeerWorkload workload, int first, int count, long anyTimestampMs) {
        this.first = first;
        this.count = count;
        ProtoChunk request = new ProtoChunk();
        for (int id = first; id < first + count; id++) {
            ProtoChunk series = new ProtoChunk();
            for (String[] label : workload.labels(id)) {
                series.message(1, new ProtoChunk().string(1, label[0]).string(2, label[1]));
            }
            series.message(2, new ProtoChunk().fixed64Slot(1).varint6Slot(2, anyTimestampMs));
            request.message(1, series);
        }
        this.body = request.toByteArray();
        this.slots = request.slots();
        if (slots.length != 2 * count) {
            throw new IllegalStateException("expected " + 2 * count + " slots, got " + slots.length);
        }
        this.compressed = new byte[snappy.maxCompressedLength(body.length)];
    }

    /** Writes the round's values and timestamp into the body and compresses it. */
    void stamp(long timestampMs, double[] values) {
        byte[] ts = ProtoChunk.varint6(timestampMs);
        for (int i = 0; i < count; i++) {
            ProtoChunk.putLongLE(body, slots[2 * i], Double.doubleToRawLongBits(values[first + i]));
            System.arraycopy(ts, 0, body, slots[2 * i + 1], ProtoChunk.VARINT6);
        }
        compressedLength = snappy.compress(body, 0, body.length, compressed, 0, compressed.length);
    }

    /** The compressed body of the last {@link #stamp}; valid until the next one. */
    byte[] compressed() {
        return compressed;
    }

    int compressedLength() {
        return compressedLength;
    }

    int uncompressedLength() {
        return body.length;
    }

    int series() {
        return count;
    }
}
