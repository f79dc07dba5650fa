package dev.kedaotel.tsdb;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where the store's off-heap pages come from: the {@link BlockPool}'s sample chunks and the
 * {@link SampleRings}' series header pages. {@link OffHeapMemory} (anonymous direct memory) without a data
 * directory; {@link MappedFiles} (one memory-mapped file per chunk and per header page) with one, so the
 * pages outlive the process. Both hand out an {@link UnsafeBuffer} once per page, when the pool or the
 * rings first need it: the append and read paths index the same buffer arrays either way and never ask
 * which kind of memory they hold.
 *
 * <p>Block ids and series refs name pages by index (chunk {@code id >>> 14}, header page
 * {@code ref >>> 12}), never by address, so a page mapped again at another address after a restart
 * holds valid ids. Called under the pool's or the rings' monitor.
 */
interface MemorySource extends AutoCloseable {
    /** The memory of block chunk {@code index} ({@code bytes} long); its content is undefined (blocks are zeroed when allocated). */
    UnsafeBuffer chunk(int index, int bytes);

    /** The memory of header page {@code index} ({@code bytes} long), zeroed. */
    UnsafeBuffer headerPage(int index, int bytes);

    /** Frees (or unmaps) every page; idempotent. */
    @Override
    void close();
}
