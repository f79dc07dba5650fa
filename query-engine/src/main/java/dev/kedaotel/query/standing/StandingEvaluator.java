package dev.kedaotel.query.standing;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    private final ConcurrentLinkedQueue<StandingQuery> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    StandingEvaluator(StandingQueries owner, long ageingResolutionMs) {
        this.owner = owner;
        this.ageingNanos = TimeUnit.MILLISECONDS.toNanos(ageingResolutionMs);
        this.thread = new Thread(this, "standing-query-evaluator");
        this.thread.setDaemon(true);
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
        long nextAgeing = System.nanoTime() + ageingNanos;
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
            long now = System.nanoTime();
            if (now - nextAgeing >= 0) {
                owner.forEachSubscribed(this::schedule);
                nextAgeing = now + ageingNanos;
            } else if (queue.isEmpty()) {
                // schedule() unparks after offering, so a wake-up between isEmpty and park is not lost.
                LockSupport.parkNanos(this, nextAgeing - now);
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
