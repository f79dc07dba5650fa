package dev.kedaotel.scaler;

import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.query.standing.Answer;
import dev.kedaotel.query.standing.AnswerListener;
import dev.kedaotel.query.standing.StandingQueryHandle;
import dev.kedaotel.query.standing.Subscription;
import io.grpc.stub.ServerCallStreamObserver;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * One open StreamIsActive call: sends the active flag when the stream opens and then only when it
 * flips (plus, optionally, periodic re-sends), driven by the standing query's change notifications.
 *
 * <p>Concurrency: answers arrive on the evaluator thread ({@link #onAnswer}), re-send requests on the
 * service's scheduler thread, readiness and cancellation on gRPC threads. All state and every call on
 * the (non-thread-safe) response observer is guarded by {@code this}. Sending never waits: when the
 * transport is not ready the stream only remembers the latest flag ({@code desired}) and
 * {@link #drain()} sends it from the on-ready callback, so a slow client coalesces to the newest
 * answer and cannot hold up the evaluator. Evaluation errors are logged and counted and the last
 * answer stands: the stream is never ended by an evaluation error (kedify ended it, pushing KEDA's
 * reconnect backoff towards 60 s); only a query that cannot be evaluated at all (invalid metadata,
 * or a first evaluation that throws) ends it, from {@link ExternalScalerService}. If the very first answer is an error (or not-found under errorIfNotFound)
 * nothing is sent until there is a definite answer, rather than inventing one.
 *
 * <p>Warm-up: an answer evaluated before the window held everything the query reads ({@link WarmUp})
 * is not sent; the stream stays open and silent (KEDA keeps the replica count meanwhile). Its first
 * message is the first answer evaluated once the query is warm. Because the evaluator tells a stream
 * only about <i>changed</i> answers, an unchanged value would never arrive; so the service's scheduler
 * calls {@link #releaseIfWarm()}, which asks for the answer as of now once the query is warm.
 */
final class IsActiveStream implements AnswerListener {
    private static final Logger LOG = System.getLogger(IsActiveStream.class.getName());
    /** The RPC's name, as the status page and the scaler's logs show it. */
    static final String RPC = "StreamIsActive";

    private final ServerCallStreamObserver<IsActiveResponse> call;
    private final ScaledObjectState scaledObject;
    private final ScalerConfig config;
    private final ScalerObserver observer;
    private final Runnable onClose;
    // Written by open(), read by close(), which may run on another thread (service shutdown).
    private volatile StandingQueryHandle handle;
    private volatile Subscription subscription;
    private volatile boolean counted;

    // Guarded by this.
    private boolean closed;
    private Answer lastAnswer;
    private boolean hasDesired;
    private boolean desired;
    /** The value behind {@code desired}, recorded with each push ({@link PushHistory}). */
    private double desiredValue;
    private boolean hasSent;
    private boolean lastSent;
    private boolean resendPending;
    private String lastError;
    /** The answers so far came from a partial window and were withheld; see {@link #releaseIfWarm()}. */
    private boolean heldForWarmUp;

    IsActiveStream(ServerCallStreamObserver<IsActiveResponse> call, ScaledObjectState scaledObject,
            ScalerConfig config, ScalerObserver observer, Runnable onClose) {
        this.call = call;
        this.scaledObject = scaledObject;
        this.config = config;
        this.observer = observer;
        this.onClose = onClose;
    }

    /**
     * Must run inside the gRPC method call (handlers can only be set there). However early the call is
     * cancelled, the stream ends up closed: grpc-java delivers a cancellation to the handler set here
     * once the method returns, and a call already flagged cancelled is closed right away (a cancel
     * without a handler to run is only flagged). If anything here throws (the first evaluation
     * included) the stream closes itself, undoing exactly what was done, and rethrows.
     */
    void open() {
        call.setOnCancelHandler(this::close);
        call.setOnReadyHandler(this::drain);
        try {
            handle = scaledObject.handle().share();
            scaledObject.streamOpened(config.time().wallMillis());
            counted = true;
            subscription = handle.subscribe(this);
            if (call.isCancelled()) {
                close();
                return;
            }
            onAnswer(handle.current(config.warmUp().warmAtMs(scaledObject.query().spanMs())));
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public void onAnswer(Answer answer) {
        ScalerValue value;
        synchronized (this) {
            if (closed || !answer.supersedes(lastAnswer)) {
                return;
            }
            lastAnswer = answer;
            value = ScalerValue.of(answer, scaledObject.query(), config);
            if (value.warmingUp()) {
                if (heldForWarmUp) {
                    return;
                }
                heldForWarmUp = true;
            } else {
                heldForWarmUp = false;
                if (!value.isError()) {
                    lastError = null;
                    desired = value.active();
                    desiredValue = value.value();
                    hasDesired = true;
                    drain();
                    return;
                }
                if (value.error().getDescription().equals(lastError)) {
                    return;
                }
                lastError = value.error().getDescription();
            }
        }
        if (value.warmingUp()) {
            // Counted once per stream; no log line: the server logs the warm-up's start and end.
            observer.onWarmingUp("StreamIsActive");
            return;
        }
        observer.onError("StreamIsActive", value.error().getCode());
        LOG.log(Level.WARNING, "StreamIsActive " + scaledObject.key() + " keeps its last answer: "
                + value.error().getCode() + " " + value.error().getDescription());
    }

    /**
     * Scheduler thread: if this stream's answers were withheld by the warm-up and its query is warm
     * now, hand it the answer as of now (never a cached one from before the query became warm).
     */
    void releaseIfWarm() {
        StandingQueryHandle h;
        long warmAt = config.warmUp().warmAtMs(scaledObject.query().spanMs());
        synchronized (this) {
            h = handle;
            if (closed || !heldForWarmUp || h == null || config.time().wallMillis() < warmAt) {
                return;
            }
        }
        onAnswer(h.current(warmAt));
    }

    /** Scheduler thread: send the current flag again even if unchanged. */
    synchronized void resend() {
        if (hasSent) {
            resendPending = true;
            drain();
        }
    }

    private synchronized void drain() {
        if (closed || !hasDesired || !call.isReady()) {
            return;
        }
        if (hasSent && desired == lastSent && !resendPending) {
            return;
        }
        try {
            call.onNext(IsActiveResponse.newBuilder().setResult(desired).build());
        } catch (RuntimeException e) {
            // The call was cancelled under us; the cancel handler cleans up.
            LOG.log(Level.DEBUG, "StreamIsActive " + scaledObject.key() + " send failed: " + e);
            return;
        }
        hasSent = true;
        lastSent = desired;
        resendPending = false;
        scaledObject.pushes().record(config.time().wallMillis(), desired, desiredValue);
    }

    /** Client cancelled (or the server is shutting down): stop listening and release the query. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        StandingQueryHandle h = handle;
        if (h != null) {
            h.close();
        }
        if (counted) {
            scaledObject.streamClosed(config.time().wallMillis());
        }
        onClose.run();
    }

    /** Server shutdown: end the stream cleanly so KEDA reconnects without backoff growth. */
    void complete() {
        synchronized (this) {
            if (!closed) {
                try {
                    call.onCompleted();
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "StreamIsActive " + scaledObject.key() + " completion failed: " + e);
                }
            }
        }
        close();
    }

    ScaledObjectKey key() {
        return scaledObject.key();
    }
}
