package dev.kedaotel.receiver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The records of a {@link SeriesCache}: one per cached key, packed into pages of bytes, so a cached
 * series costs its bytes and no object, header or reference of its own. Records are written once and
 * never move; only their handle and hint change. Dropping records is the cache's business: it copies the
 * ones it keeps into a fresh {@code CacheRecords} ({@link #copy}) and lets the old one go.
 *
 * <h2>Layout</h2>
 * Address: {@code page << }{@value #PAGE_SHIFT}{@code  | offset}, a multiple of 8; 0 is no record (the
 * first 8 bytes of page 0 are never handed out). A record does not cross a page; pages hold
 * {@value #PAGE_SIZE} bytes, at most {@value #MAX_PAGES} of them (addresses / 8 fit 25 bits).
 * <pre>
 *   0                               8               12        14
 *   +-------------------------------+---------------+---------+--------------------------------+------+
 *   | handle (i64)                  | next (i32)    | lengths | key: context, then attributes  | pad  |
 *   +-------------------------------+---------------+---------+--------------------------------+------+
 *   lengths (u16): key length (bits 0-9, at most {@value #MAX_KEY_BYTES}) | context length (bits 10-15, at most 63)
 *   record size: 14 + key length, rounded up to 8
 * </pre>
 * All little-endian. {@code handle} is the series handle the key resolved to; {@code next} is a hint, the
 * address of the record some worker resolved right after this one last time (0 = none).
 *
 * <h2>Concurrency</h2>
 * {@link #allocate} and {@link #write} are called under the owning cache's monitor. A record's bytes
 * are written before the release store that publishes its address (the cache's index slot), and readers
 * load that address with acquire semantics, so they see a complete record; its page is in the page
 * directory before that. The directory is a plain field for that reason: every reader reaches it only
 * with an address it loaded with acquire, after the release store that followed the directory's
 * update, so it sees a directory holding the page (a volatile read on every access would cost the hit
 * path more than it protects). The key never changes afterwards. {@link #setHandle} (under the
 * monitor, release) and {@link #handle} (plain, see there) are atomic: the handle is 8-byte aligned. The
 * hint is written by any worker without a lock ({@link #setNext}, release) and read with acquire, so a
 * record reached through it is as completely visible as through the index; a hint only ever holds 0 or
 * the address of a record of this same {@code CacheRecords}, so following one reads a whole record, never
 * the middle of one.
 */
final class CacheRecords {
    static final int PAGE_SHIFT = 18;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int MAX_PAGES = 1 << 10;
    static final int MAX_KEY_BYTES = 512;
    static final int HEADER = 14;
    private static final int OFFSET_MASK = PAGE_SIZE - 1;
    private static final int NEXT = 8;
    private static final int LENGTHS = 12;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** Distinct for every CacheRecords of one cache, so workers can remember which one a record is in as an int. */
    final int id;
    private byte[][] pages = new byte[4][];
    // Writer side (the cache's monitor).
    private int pageCount;
    private int top = PAGE_SIZE;
    private long allocated;

    CacheRecords(int id) {
        this.id = id;
    }

    /** Bytes of a record whose key has {@code keyLength} bytes. */
    static int recordSize(int keyLength) {
        return (HEADER + keyLength + 7) & ~7;
    }

    private static int lengths(int contextLength, int keyLength) {
        return keyLength | contextLength << 10;
    }

    /** Space for a record of {@code size} bytes (from {@link #recordSize}); 0 when all pages are used. */
    int allocate(int size) {
        if (top + size > PAGE_SIZE) {
            if (pageCount == MAX_PAGES) {
                return 0;
            }
            byte[][] p = pages;
            if (pageCount == p.length) {
                p = Arrays.copyOf(p, pageCount * 2);
            }
            p[pageCount++] = new byte[PAGE_SIZE];
            pages = p;
            top = pageCount == 1 ? 8 : 0;
        }
        int address = (pageCount - 1) << PAGE_SHIFT | top;
        top += size;
        allocated += size;
        return address;
    }

    /** Fills a new record at {@code address}: handle, no hint, key = context + attribute bytes. */
    void write(int address, long handle, byte[] context, int contextLength, byte[] buf, int off, int len) {
        byte[] p = pages[address >>> PAGE_SHIFT];
        int o = address & OFFSET_MASK;
        LONGS.set(p, o, handle);
        INTS.set(p, o + NEXT, 0);
        SHORTS.set(p, o + LENGTHS, (short) lengths(contextLength, contextLength + len));
        System.arraycopy(context, 0, p, o + HEADER, contextLength);
        System.arraycopy(buf, off, p, o + HEADER + contextLength, len);
    }

    /** Copies the record at {@code address} of {@code from} into this one (hint cleared); its new address, or 0. */
    int copy(CacheRecords from, int address) {
        byte[] src = from.pages[address >>> PAGE_SHIFT];
        int o = address & OFFSET_MASK;
        int size = recordSize(keyLength(src, o));
        int to = allocate(size);
        if (to != 0) {
            byte[] dst = pages[to >>> PAGE_SHIFT];
            int d = to & OFFSET_MASK;
            System.arraycopy(src, o, dst, d, size);
            INTS.set(dst, d + NEXT, 0);
            LONGS.set(dst, d, (long) LONGS.getAcquire(src, o)); // the handle, read as the live readers do
        }
        return to;
    }

    /** Whether the record's key is {@code context[0, contextLength)} followed by {@code buf[off, off + len)}. */
    boolean matches(int address, byte[] context, int contextLength, byte[] buf, int off, int len) {
        return keyAt(pages[address >>> PAGE_SHIFT], address & OFFSET_MASK, context, contextLength, buf, off, len);
    }

    /**
     * The record's handle. A plain read: aligned, so atomic on the 64-bit JVMs this runs on; the record
     * itself was made visible by the acquire that yielded its address, and a handle replaced meanwhile is
     * as good as the old one (both were resolved for this key; the store refuses a dead one).
     */
    long handle(int address) {
        return (long) LONGS.get(pages[address >>> PAGE_SHIFT], address & OFFSET_MASK);
    }

    /**
     * The handle of the record at {@code address} if its key is {@code context[0, contextLength)} followed by
     * {@code buf[off, off + len)}, else {@code none}: {@link #matches} and {@link #handle} with one page lookup.
     */
    long handleIfMatches(int address, byte[] context, int contextLength, byte[] buf, int off, int len, long none) {
        byte[] p = pages[address >>> PAGE_SHIFT];
        int o = address & OFFSET_MASK;
        return keyAt(p, o, context, contextLength, buf, off, len) ? (long) LONGS.get(p, o) : none;
    }

    /** Whether the key of the record at {@code p[o]} is the context followed by the attribute bytes. */
    private static boolean keyAt(byte[] p, int o, byte[] context, int contextLength, byte[] buf, int off, int len) {
        if (((short) SHORTS.get(p, o + LENGTHS) & 0xFFFF) != lengths(contextLength, contextLength + len)) {
            return false;
        }
        int k = o + HEADER;
        return Arrays.equals(p, k, k + contextLength, context, 0, contextLength)
                && Arrays.equals(p, k + contextLength, k + contextLength + len, buf, off, off + len);
    }

    void setHandle(int address, long handle) {
        LONGS.setRelease(pages[address >>> PAGE_SHIFT], address & OFFSET_MASK, handle);
    }

    /** The hint: the record resolved after this one last time, or 0. */
    int next(int address) {
        return (int) INTS.getAcquire(pages[address >>> PAGE_SHIFT], (address & OFFSET_MASK) + NEXT);
    }

    /** Sets the hint to {@code next}, a record of this same {@code CacheRecords} (or 0). */
    void setNext(int address, int next) {
        INTS.setRelease(pages[address >>> PAGE_SHIFT], (address & OFFSET_MASK) + NEXT, next);
    }

    /** The record's size in bytes. */
    int size(int address) {
        return recordSize(keyLength(pages[address >>> PAGE_SHIFT], address & OFFSET_MASK));
    }

    /** The {@link CacheKeys} hash of the record's key. */
    int hash(int address) {
        byte[] p = pages[address >>> PAGE_SHIFT];
        int o = address & OFFSET_MASK;
        int lengths = (short) SHORTS.get(p, o + LENGTHS) & 0xFFFF;
        return CacheKeys.hashOfStored(p, o + HEADER, lengths >>> 10, lengths & 0x3FF);
    }

    /** Record bytes handed out so far (live and dropped ones). */
    long allocatedBytes() {
        return allocated;
    }

    /** Bytes of the pages. */
    long pageBytes() {
        return (long) pageCount * PAGE_SIZE;
    }

    private static int keyLength(byte[] p, int o) {
        return (short) SHORTS.get(p, o + LENGTHS) & 0x3FF;
    }
}
