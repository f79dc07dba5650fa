package dev.kedaotel.query.standing;

import dev.kedaotel.model.TimeSource;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that re-evaluates subscribed standing queries and notifies their subscribers.
 *
 * <p>Work arrives two ways: {@link #schedule} from the ingest thread (a query became dirty; lock-free,
 * allocates one queue node only when the query was not already queued) and the ageing tick, which
 * every resolution period queues every subscribed query because answers change as samples leave the
 * window even without ingest. A query is in the queue at most once ({@link StandingQuery#queued});
 * the flag is cleared <i>before</i> evaluating so a commit during evaluation queues it again.
 */
final class StandingEvaluator implements Runnable {
    private static final Logger LOG = System.getLogger(StandingEvaluator.class.getName());
    /** Look at the ageing clock at least this often even under continuous ingest. */
    private static final int MAX_DRAIN_BATCH = 1024;

    private final StandingQueries owner;
    private final long ageingNanos;
    private final TimeSource ticker;
    private final ConcurrentLinkedQueue<StandingQuery> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param ticker the ageing period's clock; with a manual time source the period elapses when the
     *     source is advanced (noticed within one real ageing period at most, the loop's longest park)
     * @param threads makes the one evaluator thread (the composition root's factory)
     */
    StandingEvaluator(StandingQueries owner, long ageingResolutionMs, TimeSource ticker, ThreadFactory threads) {
        this.owner = owner;
        this.ageingNanos = TimeUnit.MILLISECONDS.toNanos(ageingResolutionMs);
        this.ticker = ticker;
        this.thread = threads.newThread(this);
    }

    void start() {
        thread.start();
    }

    /** Any thread; never blocks. */
    void schedule(StandingQuery query) {
        if (query.queued.compareAndSet(false, true)) {
            queue.offer(query);
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        long nextAgeing = ticker.monotonicNanos() + ageingNanos;
        while (running) {
            int drained = 0;
            StandingQuery query;
            while (drained < MAX_DRAIN_BATCH && (query = queue.poll()) != null) {
                query.queued.set(false);
                drained++;
                try {
                    query.refreshAndNotify();
                } catch (Throwable t) {
                    LOG.log(Level.ERROR, "evaluating standing query " + query.text() + " failed", t);
                }
            }
            long now = ticker.monotonicNanos();
            if (now - nextAgeing >= 0) {
                owner.forEachSubscribed(this::schedule);
                nextAgeing = now + ageingNanos;
            } else if (queue.isEmpty()) {
                // schedule() unparks after offering, so a wake-up between isEmpty and park is not lost.
                LockSupport.parkNanos(this, Math.min(nextAgeing - now, ageingNanos));
            }
        }
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
