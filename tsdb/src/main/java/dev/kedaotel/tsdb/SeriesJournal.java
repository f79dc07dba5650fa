package dev.kedaotel.tsdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The persistent series index: an append-only file of series creations and removals, replayed at
 * restore to rebuild the symbol table, the registry (each series at its persisted ref and generation,
 * where its header and chain are) and the label index.
 *
 * <h2>Records</h2>
 * <pre>
 *   0        4        8      9      13     17      19
 *   +--------+--------+------+------+------+-------+--------------------------------------------+
 *   | length | crc32c | type | ref  | gen  | n     | n × (name length, name, value length, value)|
 *   | i32    | i32    | u8   | i32  | i32  | u16   | i32, UTF-8 bytes, i32, UTF-8 bytes          |
 *   +--------+--------+------+------+------+-------+--------------------------------------------+
 *   length and crc32c cover the payload (type onwards); little-endian; a removal (type 2) ends at gen
 * </pre>
 * A creation is written (one {@code write} call, no fsync) under the store's write lock before the
 * series becomes visible, so every series a sample was acknowledged for is in the file (the kernel's
 * page cache) when its first sample is stored; a removal after the series was removed. The process can die
 * at any point: a record cut short at the end of the file (or one whose CRC fails and that ends the
 * file) is the normal trace of a crash and is cut off at restore; a bad record followed by more data is
 * damage, and the directory is moved aside.
 *
 * <h2>Compaction</h2>
 * When removals are more than the live series ({@link #wantsCompaction}), the live series are written to a
 * new file from the registry, which is forced and renamed over the journal (atomic), under the store's
 * write lock (no creation meanwhile): a crash before the rename keeps the old file, after it the new one.
 *
 * <p>An I/O error (a full disk) marks persistence degraded and stops the journal for good (until a
 * restart): no half-written record is ever followed by another, so the file stays a valid prefix, and a
 * series created afterwards is simply not restored (its blocks are free at the next restore).
 * Not thread-safe: every call is made under the store's write lock (or during restore).
 */
final class SeriesJournal implements AutoCloseable {
    static final byte CREATE = 1;
    static final byte REMOVE = 2;
    private static final int RECORD_HEADER = 8;
    private static final int REMOVE_PAYLOAD = 9;
    /** Far above any label set the store accepts (64 labels of 1 KiB names and 2 KiB values by default). */
    private static final int MAX_PAYLOAD = 64 << 20;
    /** Compaction at run time only from this many dead records, so small stores do not rewrite for every reset. */
    private static final long MIN_DEAD_TO_COMPACT = 4096;

    private final DataDirectory dir;
    private final Path file;
    private final CRC32C crc = new CRC32C();
    private FileChannel channel;
    private ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private long live;
    private long dead;
    private boolean failed;

    private SeriesJournal(DataDirectory dir, FileChannel channel, long live, long dead) {
        this.dir = dir;
        this.file = dir.journal();
        this.channel = channel;
        this.live = live;
        this.dead = dead;
    }

    /** Opens the journal for appending after {@code validEnd} (bytes past it, a torn record, are cut off). */
    static SeriesJournal open(DataDirectory dir, long validEnd, long live, long dead) throws IOException {
        FileChannel c = FileChannel.open(dir.journal(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (c.size() > validEnd) {
                c.truncate(validEnd);
            }
            c.position(validEnd);
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return new SeriesJournal(dir, c, live, dead);
    }

    // ---- writing ----------------------------------------------------------------------------------------

    /** Records the creation of {@code (ref, generation)} with the canonical label set {@code labels}. */
    void created(int ref, int generation, LabelSetBuilder labels, SymbolTable symbols) {
        if (failed) {
            return;
        }
        buf.clear();
        putCreate(ref, generation, labels, symbols);
        write();
        live++;
    }

    /** Records removals: {@code refGenerations} holds (ref, generation) pairs. */
    void removed(IntList refGenerations) {
        int n = refGenerations.size() / 2;
        live -= n;
        dead += n + (long) n; // the removal record and its creation record are both dead now
        if (failed || n == 0) {
            return;
        }
        buf.clear();
        for (int i = 0; i < refGenerations.size(); i += 2) {
            reserve(RECORD_HEADER + REMOVE_PAYLOAD);
            int start = buf.position();
            buf.position(start + RECORD_HEADER);
            buf.put(REMOVE).putInt(refGenerations.get(i)).putInt(refGenerations.get(i + 1));
            seal(start);
        }
        write();
    }

    private void putCreate(int ref, int generation, LabelSetBuilder labels, SymbolTable symbols) {
        reserve(RECORD_HEADER + REMOVE_PAYLOAD + 2);
        int start = buf.position();
        buf.position(start + RECORD_HEADER);
        buf.put(CREATE).putInt(ref).putInt(generation).putShort((short) labels.size());
        for (int i = 0; i < labels.size(); i++) {
            putString(symbols.symbol(labels.name(i)));
            putString(symbols.symbol(labels.value(i)));
        }
        seal(start);
    }

    private void putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        reserve(4 + b.length);
        buf.putInt(b.length).put(b);
    }

    /** Fills in the length and CRC of the record that starts at {@code start} and ends at the position. */
    private void seal(int start) {
        int payload = buf.position() - start - RECORD_HEADER;
        crc.reset();
        crc.update(buf.array(), start + RECORD_HEADER, payload);
        buf.putInt(start, payload).putInt(start + 4, (int) crc.getValue());
    }

    private void reserve(int bytes) {
        if (buf.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + bytes + 4096))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    private void write() {
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException | RuntimeException e) {
            fail("cannot append to " + file + " (" + e + ")");
        }
    }

    private void fail(String reason) {
        failed = true;
        dir.markDegraded(reason + "; series created from now on are not restored after a restart");
    }

    /** Whether dead records (removals and the creations they end) dominate enough to rewrite the file. */
    boolean wantsCompaction() {
        return !failed && dead > live && dead >= MIN_DEAD_TO_COMPACT;
    }

    /** Dead records now (restore report, tests). */
    long deadRecords() {
        return dead;
    }

    /**
     * Rewrites the journal with one creation record per live series of {@code registry} (walked by ref),
     * forced before it is renamed over the old file. Under the store's write lock.
     */
    void compact(SeriesRegistry registry, SymbolTable symbols) {
        if (failed) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        LabelSetBuilder labels = new LabelSetBuilder();
        long written = 0;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            buf.clear();
            for (int ref = 0, end = registry.refLimit(); ref < end; ref++) {
                int generation = registry.generation(ref);
                if (generation == 0) {
                    continue;
                }
                registry.keyOf(ref, labels);
                putCreate(ref, generation, labels, symbols);
                written++;
                if (buf.position() > 1 << 20) {
                    drain(out);
                }
            }
            drain(out);
            out.force(true);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover temporary file is overwritten by the next compaction
            }
            dir.markDegraded("cannot compact " + file + " (" + e + "); the old journal is kept");
            return; // the old journal is intact and still open: nothing is lost, it only stays long
        }
        try {
            DataDirectory.moveAtomically(tmp, file);
            channel.close();
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            live = written;
            dead = 0;
        } catch (IOException e) {
            fail("cannot switch to the compacted " + file + " (" + e + ")");
        }
    }

    private void drain(FileChannel out) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        buf.clear();
    }

    /** Writes the file back to disk (clean shutdown). */
    void force() {
        if (!failed) {
            try {
                channel.force(false);
            } catch (IOException e) {
                fail("cannot write back " + file + " (" + e + ")");
            }
        }
    }

    /** Tests: closes the file as a killed process' descriptor is closed, without forcing it. */
    void abandon() {
        try {
            channel.close();
        } catch (IOException e) {
            // as after a kill: whatever was written is in the page cache
        }
    }

    @Override
    public void close() {
        force();
        try {
            channel.close();
        } catch (IOException e) {
            // the data was forced above, or persistence is degraded already
        }
    }

    // ---- replay -----------------------------------------------------------------------------------------

    /** The live series of a replayed journal: where each live ref's creation record is. */
    static final class Replay {
        final ByteBuffer data;
        /** Offset of ref's live creation record, -1 when the ref is not live. */
        long[] offsets = new long[1024];
        int[] generations = new int[1024];
        int refLimit;
        long live;
        long dead;
        /** End of the last complete record: the file is cut here before appending. */
        long validEnd;
        /** Bytes cut off (a record torn by the crash). */
        long tornBytes;
        /** Generation of the last creation record (generations are handed out in order). */
        int lastGeneration;

        Replay(ByteBuffer data) {
            this.data = data;
            Arrays.fill(offsets, -1);
        }

        void create(int ref, int generation, long offset) {
            if (ref >= offsets.length) {
                int n = Math.max(ref + 1, offsets.length * 2);
                int old = offsets.length;
                offsets = Arrays.copyOf(offsets, n);
                Arrays.fill(offsets, old, n, -1);
                generations = Arrays.copyOf(generations, n);
            }
            if (offsets[ref] >= 0) {
                dead++; // a creation over a live ref (its removal was lost): the older one is dead
            } else {
                live++;
            }
            offsets[ref] = offset;
            generations[ref] = generation;
            refLimit = Math.max(refLimit, ref + 1);
            lastGeneration = generation;
        }

        void remove(int ref, int generation) {
            dead++;
            if (ref < refLimit && offsets[ref] >= 0 && generations[ref] == generation) {
                offsets[ref] = -1;
                live--;
                dead++;
            }
        }
    }

    /**
     * Reads and checks the whole journal (missing: empty). Throws {@link DataDirectory.BadDataException}
     * when a record in the middle is damaged.
     */
    static Replay replay(Path file) throws IOException, DataDirectory.BadDataException {
        if (!Files.exists(file)) {
            return new Replay(ByteBuffer.allocate(0));
        }
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE) {
            throw new DataDirectory.BadDataException(file.getFileName() + " is larger than 2 GiB (" + size + " bytes)");
        }
        ByteBuffer data;
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            data = size == 0 ? ByteBuffer.allocate(0) : c.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        data.order(ByteOrder.LITTLE_ENDIAN);
        Replay r = new Replay(data);
        CRC32C crc = new CRC32C();
        int pos = 0;
        int end = (int) size;
        while (pos < end) {
            if (!validRecord(data, pos, end, crc)) {
                // A crash leaves at most the end torn: no valid record may follow a bad one.
                for (int p = pos + 1; p + RECORD_HEADER < end; p++) {
                    if (validRecord(data, p, end, crc)) {
                        throw new DataDirectory.BadDataException(file.getFileName() + " is damaged at byte " + pos
                                + " (a record fails its length or CRC32C check and a valid one follows at byte " + p + ")");
                    }
                }
                r.tornBytes = end - pos;
                break;
            }
            int length = data.getInt(pos);
            int at = pos + RECORD_HEADER;
            byte type = data.get(at);
            int ref = data.getInt(at + 1);
            int generation = data.getInt(at + 5);
            if (ref < 0 || generation == 0 || (type != CREATE && type != REMOVE)) {
                throw new DataDirectory.BadDataException(file.getFileName() + " has an invalid record at byte " + pos);
            }
            if (type == CREATE) {
                r.create(ref, generation, pos);
            } else {
                r.remove(ref, generation);
            }
            pos += RECORD_HEADER + length;
            r.validEnd = pos;
        }
        return r;
    }

    /** Whether a whole record starts at {@code pos}: a plausible length inside the file and a matching CRC. */
    private static boolean validRecord(ByteBuffer data, int pos, int end, CRC32C crc) {
        if (end - pos < RECORD_HEADER) {
            return false;
        }
        int length = data.getInt(pos);
        if (length < REMOVE_PAYLOAD || length > MAX_PAYLOAD || (long) pos + RECORD_HEADER + length > end) {
            return false;
        }
        crc.reset();
        crc.update(data.slice(pos + RECORD_HEADER, length));
        return (int) crc.getValue() == data.getInt(pos + 4);
    }

    /**
     * Interns the label set of the creation record at {@code offset} into {@code out} (cleared first) and
     * returns the scratch array to reuse (grown if needed). Throws {@link DataDirectory.BadDataException}
     * when the record's label data do not fit it (its CRC was right, so only a bug or a forged file).
     */
    static byte[] labelsOf(Replay r, long offset, SymbolTable symbols, LabelSetBuilder out, byte[] scratch)
            throws DataDirectory.BadDataException {
        ByteBuffer data = r.data;
        int length = data.getInt((int) offset);
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        data.get((int) offset + RECORD_HEADER, scratch, 0, length);
        ByteBuffer rec = ByteBuffer.wrap(scratch, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        out.clear();
        try {
            int n = rec.getShort(REMOVE_PAYLOAD) & 0xFFFF;
            int at = REMOVE_PAYLOAD + 2;
            for (int i = 0; i < n; i++) {
                int nameLength = rec.getInt(at);
                int name = intern(symbols, scratch, at + 4, nameLength, length);
                at += 4 + nameLength;
                int valueLength = rec.getInt(at);
                int value = intern(symbols, scratch, at + 4, valueLength, length);
                at += 4 + valueLength;
                out.add(name, value);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new DataDirectory.BadDataException("a series record at byte " + offset + " is malformed");
        }
        return scratch;
    }

    private static int intern(SymbolTable symbols, byte[] bytes, int from, int length, int limit) {
        if (length < 0 || from + length > limit) {
            throw new IndexOutOfBoundsException();
        }
        return symbols.internUtf8(bytes, from, length);
    }
}
