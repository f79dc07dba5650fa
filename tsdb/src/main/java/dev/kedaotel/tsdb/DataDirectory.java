package dev.kedaotel.tsdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The store's data directory: its exclusive lock, its {@code MANIFEST}, moving bad contents aside, and
 * the "persistence degraded" flag. Layout (see docs/architecture.md, "Persistence"):
 * <pre>
 *   data dir/
 *     LOCK                      FileChannel lock: one process per directory
 *     MANIFEST                  format version, layout constants, complete_since_ms, CRC32C (text)
 *     series.journal            series creations and removals ({@link SeriesJournal})
 *     chunks/chunk-000000.dat   sample blocks, one file per 1.5 MiB chunk ({@link MappedFiles})
 *     headers/headers-000000.dat series headers, one file per 4,096 refs
 *     moved-aside-20260101T120000Z/   contents found corrupt or incompatible (the newest 2 kept)
 * </pre>
 *
 * <p>The lock is an OS file lock on {@code LOCK}: a second process on the same directory is refused
 * with a message naming the directory, and the lock of a process killed with {@code kill -9} is released
 * by the OS, so it never blocks a restart. Bad contents are moved into a {@code moved-aside-*}
 * subdirectory of the data directory (which is often a mount point that cannot itself be renamed), never
 * deleted outright, and never a reason to fail: only a directory that cannot be created, written or
 * locked is. Not thread-safe except {@link #markDegraded} and {@link #degradedReason} (any thread).
 */
final class DataDirectory implements AutoCloseable {
    static final int FORMAT_VERSION = 1;
    static final String LOCK = "LOCK";
    static final String MANIFEST = "MANIFEST";
    static final String JOURNAL = "series.journal";
    static final String CHUNKS = "chunks";
    static final String HEADERS = "headers";
    static final String MOVED_ASIDE_PREFIX = "moved-aside-";
    /** Moved-aside directories kept (newest first); older ones are deleted so disk use stays bounded. */
    static final int KEEP_MOVED_ASIDE = 2;
    private static final System.Logger LOG = System.getLogger(DataDirectory.class.getName());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Raised while reading persisted state that is corrupt or incompatible: the caller moves it aside. */
    static final class BadDataException extends Exception {
        BadDataException(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile String degradedReason;

    private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it. Throws {@link IllegalStateException} (with the
     * directory and the reason) when it cannot be created or written, or another process holds it.
     */
    static DataDirectory open(Path dir) {
        Path abs = dir.toAbsolutePath();
        FileChannel channel = null;
        try {
            Files.createDirectories(abs);
            channel = FileChannel.open(abs.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM already
            }
            if (lock == null) {
                throw new IllegalStateException("data directory " + abs + " is in use by another process (it holds "
                        + abs.resolve(LOCK) + "); every process needs its own data directory");
            }
            Files.createDirectories(abs.resolve(CHUNKS));
            Files.createDirectories(abs.resolve(HEADERS));
            return new DataDirectory(abs, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalStateException("cannot use data directory " + abs + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    Path path() {
        return dir;
    }

    Path journal() {
        return dir.resolve(JOURNAL);
    }

    Path chunks() {
        return dir.resolve(CHUNKS);
    }

    Path headers() {
        return dir.resolve(HEADERS);
    }

    /** Whether the directory holds no store yet (nothing but the lock, the empty subdirectories and moved-aside contents). */
    boolean isEmpty() throws IOException {
        if (Files.exists(dir.resolve(MANIFEST)) || Files.exists(journal())) {
            return false;
        }
        return isEmptyDir(chunks()) && isEmptyDir(headers());
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return true;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    // ---- manifest ---------------------------------------------------------------------------------------

    /** The layout this build writes; a directory written with other values is incompatible. */
    static Map<String, String> layout() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "keda-otel-scaler-store");
        m.put("version", Integer.toString(FORMAT_VERSION));
        m.put("block_bytes", Integer.toString(SampleCodec.BLOCK_BYTES));
        m.put("blocks_per_chunk", Integer.toString(BlockPool.BLOCKS_PER_CHUNK));
        m.put("chunk_bytes", Integer.toString(BlockPool.CHUNK_BYTES));
        m.put("header_bytes", Integer.toString(SampleRings.HEADER_BYTES));
        m.put("headers_per_page", Integer.toString(SampleRings.HEADERS_PER_PAGE));
        return m;
    }

    /** Writes the manifest (a temporary file, forced, then renamed over the old one). */
    void writeManifest(long completeSinceMs) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : layout().entrySet()) {
            text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        text.append("complete_since_ms=").append(completeSinceMs).append('\n');
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] crc = ("crc32c=" + Long.toHexString(crc(body)) + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(new ByteBuffer[] {ByteBuffer.wrap(body), ByteBuffer.wrap(crc)});
            c.force(true);
        }
        moveAtomically(tmp, dir.resolve(MANIFEST));
    }

    /**
     * Reads and checks the manifest; returns its {@code complete_since_ms}. Throws {@link BadDataException}
     * when it is missing, fails its CRC, or names another format version or layout.
     */
    long readManifest() throws IOException, BadDataException {
        Path p = dir.resolve(MANIFEST);
        if (!Files.exists(p)) {
            throw new BadDataException("no " + MANIFEST + " beside persisted data (a crash while the directory was first set up, or not a store directory)");
        }
        byte[] all = Files.readAllBytes(p);
        String text = new String(all, StandardCharsets.UTF_8);
        int crcAt = text.lastIndexOf("crc32c=");
        if (crcAt < 0 || !text.endsWith("\n")) {
            throw new BadDataException(MANIFEST + " has no checksum line");
        }
        byte[] body = text.substring(0, crcAt).getBytes(StandardCharsets.UTF_8);
        String stored = text.substring(crcAt + "crc32c=".length(), text.length() - 1).trim();
        if (!stored.equals(Long.toHexString(crc(body)))) {
            throw new BadDataException(MANIFEST + " fails its CRC32C check");
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (String line : text.substring(0, crcAt).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                found.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        for (Map.Entry<String, String> e : layout().entrySet()) {
            if (!e.getValue().equals(found.get(e.getKey()))) {
                throw new BadDataException("incompatible " + MANIFEST + ": " + e.getKey() + " is " + found.get(e.getKey())
                        + ", this version needs " + e.getValue());
            }
        }
        try {
            return Long.parseLong(found.get("complete_since_ms"));
        } catch (NumberFormatException e) {
            throw new BadDataException(MANIFEST + " has no valid complete_since_ms");
        }
    }

    static long crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    // ---- moving bad contents aside ----------------------------------------------------------------------

    /**
     * Moves everything but the lock and earlier moved-aside directories into a new
     * {@code moved-aside-<UTC time>} directory, deletes all but the newest {@value #KEEP_MOVED_ASIDE} of
     * those, recreates the empty layout, and returns the new directory.
     */
    Path moveAside(long nowMs) throws IOException {
        String base = MOVED_ASIDE_PREFIX + STAMP.format(Instant.ofEpochMilli(nowMs));
        Path target = dir.resolve(base);
        for (int i = 1; Files.exists(target); i++) {
            target = dir.resolve(base + "-" + i);
        }
        Files.createDirectory(target);
        for (Path p : list(dir)) {
            String name = p.getFileName().toString();
            if (!name.equals(LOCK) && !name.startsWith(MOVED_ASIDE_PREFIX)) {
                Files.move(p, target.resolve(name));
            }
        }
        List<Path> aside = new ArrayList<>();
        for (Path p : list(dir)) {
            if (p.getFileName().toString().startsWith(MOVED_ASIDE_PREFIX) && Files.isDirectory(p)) {
                aside.add(p);
            }
        }
        // Names sort by time (a same-second suffix after its base); newest first.
        aside.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        aside.remove(target);
        aside.add(0, target); // kept whatever the clock did
        for (int i = KEEP_MOVED_ASIDE; i < aside.size(); i++) {
            deleteTree(aside.get(i));
        }
        Files.createDirectories(chunks());
        Files.createDirectories(headers());
        return target;
    }

    private static List<Path> list(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.toList();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            for (Path c : list(p)) {
                deleteTree(c);
            }
        }
        Files.deleteIfExists(p);
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---- degraded persistence ---------------------------------------------------------------------------

    /**
     * Persistence could not keep up (disk full, an I/O error): the store goes on in memory; what the next
     * restart loses is described in docs/architecture.md. Logged once, with the first reason.
     */
    void markDegraded(String reason) {
        if (degradedReason == null) {
            synchronized (this) {
                if (degradedReason != null) {
                    return;
                }
                degradedReason = reason;
            }
            LOG.log(System.Logger.Level.WARNING, "persistence degraded in " + dir + ": " + reason
                    + "; samples are still accepted (kept in memory), but what is not on disk is lost at the next restart");
        }
    }

    /** The first reason persistence degraded, or null. */
    String degradedReason() {
        return degradedReason;
    }

    /** Releases the lock (the files stay). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do: the OS releases the lock with the process
            }
        }
    }
}
