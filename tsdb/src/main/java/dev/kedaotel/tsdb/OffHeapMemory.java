package dev.kedaotel.tsdb;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Allocates 64-byte aligned direct memory blocks and frees all of them on {@link #close()}. Agrona's
 * aligned allocation returns a slice that cannot be freed explicitly, so this keeps the original
 * buffers. The {@link MemorySource} of a store without a data directory (page indexes do not matter to
 * anonymous memory). Guarded by the caller's lock.
 */
final class OffHeapMemory implements MemorySource {
    private static final int ALIGNMENT = 64;
    private final List<ByteBuffer> blocks = new ArrayList<>();

    /** A zeroed, 64-byte aligned block of {@code bytes}. */
    UnsafeBuffer allocate(int bytes) {
        ByteBuffer raw = ByteBuffer.allocateDirect(bytes + ALIGNMENT);
        long address = BufferUtil.address(raw);
        int skew = (int) (((ALIGNMENT - (address & (ALIGNMENT - 1))) & (ALIGNMENT - 1)));
        blocks.add(raw);
        return new UnsafeBuffer(raw, skew, bytes);
    }

    @Override
    public UnsafeBuffer chunk(int index, int bytes) {
        return allocate(bytes);
    }

    @Override
    public UnsafeBuffer headerPage(int index, int bytes) {
        return allocate(bytes);
    }

    @Override
    public void close() {
        for (ByteBuffer b : blocks) {
            BufferUtil.free(b);
        }
        blocks.clear();
    }
}
