package dev.kedaotel.scaler;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@value #CAPACITY} answers a ScaledObject's StreamIsActive streams pushed to KEDA (time, flag and
 * the value behind it), for the status page: "what did KEDA hear, and when".
 *
 * <p>Bounded by construction: a fixed ring, the oldest push overwritten, so a ScaledObject that flips every
 * second or a resend interval of 100 ms costs the same 20 entries. One history per ScaledObject state
 * (replaced with it when the metadata changes, since the pushes of the old query no longer explain the new
 * one), shared by all of that ScaledObject's open streams.
 *
 * <p>Concurrency: {@link #record} runs on whichever thread sends (evaluator, scheduler, gRPC on-ready), inside
 * the stream's own lock; {@link #snapshot} on an HTTP worker. Both synchronise on this object for a few field
 * writes or a 20-element copy, never while sending or evaluating.
 */
final class PushHistory {
    /** Pushes kept per ScaledObject. */
    static final int CAPACITY = 20;

    private final long[] atMs = new long[CAPACITY];
    private final boolean[] active = new boolean[CAPACITY];
    private final double[] value = new double[CAPACITY];
    /** Pushes recorded so far; the newest is at {@code (count - 1) % CAPACITY}. */
    private long count;

    synchronized void record(long nowMs, boolean isActive, double pushedValue) {
        int i = (int) (count % CAPACITY);
        atMs[i] = nowMs;
        active[i] = isActive;
        value[i] = pushedValue;
        count++;
    }

    /** The kept pushes, newest first. */
    synchronized List<ScaledObjectSnapshot.Push> snapshot() {
        int n = (int) Math.min(count, CAPACITY);
        List<ScaledObjectSnapshot.Push> out = new ArrayList<>(n);
        for (int k = 1; k <= n; k++) {
            int i = (int) ((count - k) % CAPACITY);
            out.add(new ScaledObjectSnapshot.Push(atMs[i], active[i], value[i]));
        }
        return out;
    }

    /** Pushes recorded since the history was made (including those no longer kept). */
    synchronized long total() {
        return count;
    }
}
