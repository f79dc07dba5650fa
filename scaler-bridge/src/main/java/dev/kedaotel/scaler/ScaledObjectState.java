package dev.kedaotel.scaler;

import dev.kedaotel.query.standing.StandingQueryHandle;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the scaler remembers about one ScaledObject: its metadata (as last seen), the compiled query,
 * the standing-query handle it holds, when it was last asked about and how many streams it has open.
 * A ScaledObject whose metadata cannot be compiled is remembered too, as <i>invalid</i>: no query or
 * handle, only the status every GetMetrics/IsActive/StreamIsActive answers with (so it is logged once,
 * when the state is made, not on every call). The metadata is kept {@linkplain ScalerMetadataSecrets#redacted
 * redacted}: no secret value is held beyond the RPC that carried it. Replaced as a whole when the
 * metadata's non-secret keys change;
 * {@code lastSeenMs}, {@code lastRpc}, {@code streamed}, {@code openStreams} (written by gRPC threads, read
 * by the idle sweep and the status page) and the {@link PushHistory} (written by whichever thread a stream
 * sends on) are the only mutable parts.
 */
final class ScaledObjectState {
    private final ScaledObjectKey key;
    private final Map<String, String> metadata;
    private final ScalerQuery query;
    private final StandingQueryHandle handle;
    private final Status invalid;
    private volatile long lastSeenMs;
    /** The RPC of the last call, for the status page; written by gRPC threads like lastSeenMs. */
    private volatile String lastRpc;
    /** Set once a StreamIsActive call was opened: KEDA uses the {@code external-push} trigger. */
    private volatile boolean streamed;
    private final AtomicInteger openStreams = new AtomicInteger();
    private final PushHistory pushes = new PushHistory();

    private ScaledObjectState(ScaledObjectKey key, Map<String, String> metadata, ScalerQuery query,
            StandingQueryHandle handle, Status invalid, long nowMs) {
        this.key = key;
        this.metadata = metadata;
        this.query = query;
        this.handle = handle;
        this.invalid = invalid;
        this.lastSeenMs = nowMs;
    }

    static ScaledObjectState valid(ScaledObjectKey key, Map<String, String> metadata, ScalerQuery query,
            StandingQueryHandle handle, long nowMs) {
        return new ScaledObjectState(key, metadata, query, handle, null, nowMs);
    }

    static ScaledObjectState invalid(ScaledObjectKey key, Map<String, String> metadata, Status why, long nowMs) {
        return new ScaledObjectState(key, metadata, null, null, why, nowMs);
    }

    /** Why this ScaledObject's metadata cannot be evaluated, or null when it can. */
    Status invalid() {
        return invalid;
    }

    /** Releases the standing query, if any. */
    void release() {
        if (handle != null) {
            handle.close();
        }
    }

    ScaledObjectKey key() {
        return key;
    }

    /** The metadata as last seen, secret values {@linkplain ScalerMetadataSecrets#redacted redacted}. */
    Map<String, String> metadata() {
        return metadata;
    }

    /** The compiled query; null when {@link #invalid()}. */
    ScalerQuery query() {
        return query;
    }

    /** The parsed metadata; null when {@link #invalid()}. */
    ScalerMetadata parsed() {
        return query == null ? null : query.metadata();
    }

    /** The standing query held; null when {@link #invalid()}. */
    StandingQueryHandle handle() {
        return handle;
    }

    void touch(long nowMs) {
        lastSeenMs = nowMs;
    }

    /** A call of {@code rpc} about this ScaledObject at {@code nowMs}. */
    void called(String rpc, long nowMs) {
        lastRpc = rpc;
        if (IsActiveStream.RPC.equals(rpc)) {
            streamed = true;
        }
        touch(nowMs);
    }

    String lastRpc() {
        return lastRpc;
    }

    boolean streamed() {
        return streamed;
    }

    /** What this ScaledObject's StreamIsActive streams pushed (shared by its streams). */
    PushHistory pushes() {
        return pushes;
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
