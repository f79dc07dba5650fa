package dev.kedaotel.query.standing;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.ScalarOutcome;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.eval.SelectionCache;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One compiled query kept alive by {@link StandingQueries} while at least one handle uses it, with
 * its last answer.
 *
 * <p>Concurrency:
 * <ul>
 *   <li><b>Dirty marking</b>: the store's ingest/retention thread calls {@link #markChanged()} inside
 *       the commit, which bumps {@code changeVersion} (atomic) and, when there are subscribers, queues
 *       the query for the evaluator. It never evaluates.</li>
 *   <li><b>Evaluation</b> happens on the evaluator thread (for subscribers) or synchronously on the
 *       caller of {@link #current()} when the cached answer is dirty or older than the ageing
 *       resolution. Both read {@code changeVersion} <i>before</i> evaluating, so a commit racing an
 *       evaluation leaves the answer marked dirty.</li>
 *   <li><b>Publication</b>: answers are immutable and published through an {@link AtomicReference}
 *       with a compare-and-set that only lets an answer replace an older one
 *       ({@link Answer#supersedes}).</li>
 *   <li><b>Notification</b> happens only on the evaluator thread, which alone reads and writes
 *       {@code lastNotified}; listeners are told when the result differs from the last one told.</li>
 * </ul>
 */
public final class StandingQuery {
    private static final Logger LOG = System.getLogger(StandingQuery.class.getName());

    private final String text;
    private final Expr expr;
    private final Set<String> metricNames;
    private final StandingQueries owner;

    /** Guarded by the owner's lock. */
    int refCount;

    private final AtomicLong changeVersion = new AtomicLong();
    /** The selectors' series, reused by every evaluation until a series is created or removed. */
    private final SelectionCache selections = new SelectionCache();
    /** True while this query sits in the evaluator's queue (keeps it there at most once). */
    final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicReference<Answer> latest = new AtomicReference<>();
    private final CopyOnWriteArrayList<AnswerListener> subscribers = new CopyOnWriteArrayList<>();
    /** Set once the last handle is released: no more dirty marks arrive, so never trust the cache. */
    private volatile boolean retired;
    /** Evaluator thread only. */
    private Answer lastNotified;

    StandingQuery(String text, Expr expr, Set<String> metricNames, StandingQueries owner) {
        this.text = text;
        this.expr = expr;
        this.metricNames = metricNames;
        this.owner = owner;
    }

    /** The registry key: PromQL text of the compiled query. */
    public String text() {
        return text;
    }

    public Expr expr() {
        return expr;
    }

    /** Metric names whose changes can change the answer; null means any name can. */
    public Set<String> metricNames() {
        return metricNames;
    }

    /**
     * The answer as of now: the cached one if no relevant data changed since it was computed and it
     * is younger than the ageing resolution, otherwise a synchronous evaluation. A sample committed
     * before this call is therefore always reflected.
     */
    public Answer current() {
        return current(Long.MIN_VALUE);
    }

    /**
     * Like {@link #current()}, but a cached answer evaluated before {@code notBeforeMs} is never returned:
     * for a caller to whom answers from before some moment mean nothing (the scaler's warm-up, whose end
     * may fall inside the ageing resolution).
     */
    public Answer current(long notBeforeMs) {
        Answer cached = latest.get();
        long now = owner.nowMs();
        if (cached != null && !retired && cached.dataVersion() == changeVersion.get()
                && now - cached.evaluatedAtMs() < owner.ageingResolutionMs() && cached.evaluatedAtMs() >= notBeforeMs) {
            return cached;
        }
        Answer fresh = evaluate();
        if (!fresh.sameResultAs(cached) && hasSubscribers()) {
            // Subscribers hear about answers only from the evaluator; make sure it looks.
            owner.evaluator().schedule(this);
        }
        return fresh;
    }

    /** The last published answer without evaluating; null if never evaluated. */
    public Answer latest() {
        return latest.get();
    }

    /**
     * Registers a listener told (on the evaluator thread) whenever the answer changes. The caller
     * gets the initial answer itself from {@link #current()} after subscribing; answers can arrive
     * out of order across the two paths, so listeners keep the one that {@link Answer#supersedes}.
     */
    public Subscription subscribe(AnswerListener listener) {
        subscribers.add(listener);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                subscribers.remove(listener);
            }
        };
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    /** Ingest/retention thread: relevant data changed. Allocation-free unless newly queued. */
    void markChanged() {
        changeVersion.incrementAndGet();
        if (!subscribers.isEmpty()) {
            owner.evaluator().schedule(this);
        }
    }

    void retire() {
        retired = true;
    }

    /** Evaluates now and publishes the result; returns the winning (newest) answer. */
    Answer evaluate() {
        long version = changeVersion.get();
        long now = owner.nowMs();
        Answer answer;
        try {
            ScalarOutcome outcome = owner.engine().evaluateToScalar(expr, now, selections);
            answer = outcome.found() ? Answer.found(outcome.value(), version, now) : Answer.notFound(version, now);
        } catch (PromQLException e) {
            answer = Answer.failed(e, version, now);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "standing query " + text + " failed unexpectedly", e);
            answer = Answer.failed(e, version, now);
        }
        return publish(answer);
    }

    private Answer publish(Answer answer) {
        while (true) {
            Answer previous = latest.get();
            if (!answer.supersedes(previous)) {
                return previous;
            }
            if (latest.compareAndSet(previous, answer)) {
                return answer;
            }
        }
    }

    /** Evaluator thread: re-evaluate if anyone listens, and tell them if the result changed. */
    void refreshAndNotify() {
        if (subscribers.isEmpty()) {
            return;
        }
        Answer answer = evaluate();
        if (answer.sameResultAs(lastNotified)) {
            return;
        }
        lastNotified = answer;
        for (AnswerListener listener : subscribers) {
            try {
                listener.onAnswer(answer);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "subscriber of standing query " + text + " failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "StandingQuery{" + text + ", refs=" + refCount + ", subscribers=" + subscribers.size() + "}";
    }
}
