package dev.kedaotel.receiver;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A budget of OTLP request bytes held in memory at once, shared by both transports: an OTLP/HTTP
 * request reserves its declared length (or the maximum message size when the length is unknown) before
 * its body is read, an OTLP/gRPC request its size once gRPC has assembled it, and each releases it when
 * its export has finished. When the budget is spent, further requests are
 * refused at once with a retryable status, so a burst of large exports slows exporters down (they back
 * off, as the OTLP specification asks) instead of exhausting the heap. Lock-free; any thread.
 */
public final class BytesInFlight {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public BytesInFlight(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /** Reserves {@code bytes} if they fit; a single request larger than the whole budget fits only alone. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            long next = now + bytes;
            if (now > 0 && next > limit) {
                return false;
            }
            if (used.compareAndSet(now, next)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
