package dev.kedaotel.scaler;

import dev.kedaotel.query.standing.StandingQueryHandle;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the scaler remembers about one ScaledObject: its metadata (as last seen), the compiled query,
 * the standing-query handle it holds, when it was last asked about and how many streams it has open.
 * Replaced as a whole when the metadata changes; {@code lastSeenMs} and {@code openStreams} are the
 * only mutable parts (written by gRPC threads, read by the idle sweep).
 */
final class ScaledObjectState {
    private final ScaledObjectKey key;
    private final Map<String, String> metadata;
    private final ScalerQuery query;
    private final StandingQueryHandle handle;
    private volatile long lastSeenMs;
    private final AtomicInteger openStreams = new AtomicInteger();

    ScaledObjectState(ScaledObjectKey key, Map<String, String> metadata, ScalerQuery query,
            StandingQueryHandle handle, long nowMs) {
        this.key = key;
        this.metadata = metadata;
        this.query = query;
        this.handle = handle;
        this.lastSeenMs = nowMs;
    }

    ScaledObjectKey key() {
        return key;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    ScalerQuery query() {
        return query;
    }

    ScalerMetadata parsed() {
        return query.metadata();
    }

    StandingQueryHandle handle() {
        return handle;
    }

    void touch(long nowMs) {
        lastSeenMs = nowMs;
    }

    long lastSeenMs() {
        return lastSeenMs;
    }

    void streamOpened(long nowMs) {
        openStreams.incrementAndGet();
        touch(nowMs);
    }

    void streamClosed(long nowMs) {
        openStreams.decrementAndGet();
        touch(nowMs);
    }

    int openStreams() {
        return openStreams.get();
    }
}
