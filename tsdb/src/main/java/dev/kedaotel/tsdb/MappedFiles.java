package dev.kedaotel.tsdb;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The {@link MemorySource} of a store with a data directory: each block chunk and each header page is a
 * memory-mapped file ({@code chunks/chunk-000000.dat}, {@code headers/headers-000000.dat}), so what the
 * process wrote is in the kernel's page cache the moment it is stored, and survives the process, even
 * {@code kill -9}; the kernel writes it back to disk on its own schedule, {@link #force()} at once.
 *
 * <p><b>Disk full.</b> A store into a mapped page whose file has no disk block behind it (a sparse file
 * on a full disk) is a SIGBUS, which kills the JVM. So a page file is never sparse: it is written full
 * of zeros under a temporary name first (the {@link Allocator}; a full disk fails there, with an
 * {@link IOException}), then renamed into place and mapped. When that fails the page comes from
 * anonymous memory instead and persistence is marked degraded ({@link DataDirectory#markDegraded}, logged
 * once): samples are never refused because of the disk; what is in such pages is lost at the next
 * restart (series whose chains reach a missing chunk are dropped then, and counted).
 *
 * <p>Concurrency: every method is synchronized (the pool and the rings allocate under their own monitors,
 * rarely). The buffers handed out are used lock-free by the store, as anonymous memory is.
 */
final class MappedFiles implements MemorySource {
    /** Gives a new file its disk blocks (tests inject one that fails like a full disk). */
    interface Allocator {
        void allocate(Path file, long bytes) throws IOException;
    }

    /** Writes {@code bytes} zeros, so every block of the file is allocated before it is mapped. */
    static final Allocator ZERO_FILL = (file, bytes) -> {
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long at = 0;
            while (at < bytes) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
                at += c.write(zeros, at);
            }
        }
    };

    private final DataDirectory dir;
    private final Allocator allocator;
    private final OffHeapMemory fallback = new OffHeapMemory();
    private final List<MappedByteBuffer> mapped = new ArrayList<>();
    private int anonymousPages;
    private boolean closed;

    MappedFiles(DataDirectory dir, Allocator allocator) {
        this.dir = dir;
        this.allocator = allocator;
    }

    static Path chunkFile(Path chunks, int index) {
        return chunks.resolve(String.format("chunk-%06d.dat", index));
    }

    static Path headerFile(Path headers, int index) {
        return headers.resolve(String.format("headers-%06d.dat", index));
    }

    @Override
    public synchronized UnsafeBuffer chunk(int index, int bytes) {
        return fresh(chunkFile(dir.chunks(), index), bytes);
    }

    @Override
    public synchronized UnsafeBuffer headerPage(int index, int bytes) {
        return fresh(headerFile(dir.headers(), index), bytes);
    }

    /**
     * An existing page file, mapped (restore), or null when there is none. Throws
     * {@link DataDirectory.BadDataException} when its size is not {@code bytes}: page files appear under
     * their name only once complete, so another size is damage, not a crash.
     */
    synchronized UnsafeBuffer existing(Path file, int bytes) throws IOException, DataDirectory.BadDataException {
        if (!Files.exists(file)) {
            return null;
        }
        long size = Files.size(file);
        if (size != bytes) {
            throw new DataDirectory.BadDataException(file.getFileName() + " is " + size + " bytes, expected " + bytes);
        }
        return map(file, bytes);
    }

    /** Pages that came from anonymous memory because their file could not be allocated. */
    synchronized int anonymousPages() {
        return anonymousPages;
    }

    private UnsafeBuffer fresh(Path file, int bytes) {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            allocator.allocate(tmp, bytes);
            DataDirectory.moveAtomically(tmp, file);
            return map(file, bytes);
        } catch (IOException | RuntimeException e) {
            dir.markDegraded("cannot allocate " + file + " (" + e + ")");
            anonymousPages++;
            try {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(file); // a stale page under this index must not be restored later
            } catch (IOException ignored) {
                // a leftover is harmless: a restore maps only pages its journal's chains reach
            }
            return fallback.allocate(bytes);
        }
    }

    private UnsafeBuffer map(Path file, int bytes) {
        File f = file.toFile();
        MappedByteBuffer m = IoUtil.mapExistingFile(f, f.getName(), 0, bytes);
        mapped.add(m);
        return new UnsafeBuffer(m, 0, bytes);
    }

    /** Writes every mapped page back to disk (clean shutdown, journal compaction). */
    synchronized void force() {
        for (MappedByteBuffer m : mapped) {
            m.force();
        }
    }

    /** Forces and unmaps every page and frees the anonymous ones; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MappedByteBuffer m : mapped) {
            try {
                m.force();
            } catch (RuntimeException e) {
                dir.markDegraded("cannot write back a page at shutdown (" + e + ")");
            }
            IoUtil.unmap(m);
        }
        mapped.clear();
        fallback.close();
    }
}
