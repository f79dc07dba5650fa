package dev.kedaotel.server;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.scaler.WarmUp;
import dev.kedaotel.server.http.ReadinessReport;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Whether this replica should get KEDA's calls: started, not shutting down, and past the process-wide
 * warm-up ({@link WarmUp#complete}: the window holds a full warm-up period received since it became
 * complete). {@code /readyz} asks {@link #report()} on every probe; gRPC health's {@code readiness} name
 * is pushed, so {@link #check()} (the maintenance thread, every {@link #CHECK_MS}) and every phase change
 * set it, and the check logs the end of the warm-up once.
 *
 * <p>Why readiness follows the warm-up: the chart's KEDA Service then routes KEDA only to replicas that
 * have caught up, and a RollingUpdate with {@code maxUnavailable: 0} keeps the old pod serving until the
 * new one is warm. OTLP still reaches a warming pod through the chart's headless Service with
 * {@code publishNotReadyAddresses}, which is how it catches up. Liveness never depends on it.
 *
 * <p>Thread-safe: the phase is volatile; pushing the gRPC status is serialised on this object so a check
 * racing a shutdown cannot report SERVING after it.
 */
final class Readiness {
    private static final Logger LOG = System.getLogger(Readiness.class.getName());
    /** How often the maintenance thread looks whether the warm-up is over. */
    static final long CHECK_MS = 500;

    private enum Phase { STARTING, SERVING, STOPPING }

    private final WarmUp warmUp;
    private final TimeSource time;
    private final HealthStatusManager health;
    private final String readinessName;
    private volatile Phase phase = Phase.STARTING;
    /** Guarded by this. */
    private ServingStatus pushed;
    /** Guarded by this: a warm-up was running when the ports were bound, and its end is not logged yet. */
    private boolean warmUpToLog;

    Readiness(WarmUp warmUp, TimeSource time, HealthStatusManager health, String readinessName) {
        this.warmUp = warmUp;
        this.time = time;
        this.health = health;
        this.readinessName = readinessName;
        push(ServingStatus.NOT_SERVING);
    }

    WarmUp warmUp() {
        return warmUp;
    }

    /** Every port is bound: ready once the warm-up is over. Logs how the warm-up stands. */
    synchronized void serving() {
        phase = Phase.SERVING;
        warmUpToLog = logStart(time.wallMillis());
        check();
    }

    /** Shutting down, or out of memory: not ready from now on. */
    void stopping() {
        phase = Phase.STOPPING;
        check();
    }

    boolean isReady() {
        return report().ready();
    }

    ReadinessReport report() {
        long now = time.wallMillis();
        String status = switch (phase) {
            case STARTING -> ReadinessReport.STARTING;
            case STOPPING -> ReadinessReport.STOPPING;
            case SERVING -> warmUp.complete(now) ? ReadinessReport.READY : ReadinessReport.WARMING_UP;
        };
        return new ReadinessReport(status, warmUp, now);
    }

    /** Pushes gRPC readiness if it changed, and logs the end of the warm-up once. Never throws. */
    synchronized void check() {
        try {
            ReadinessReport report = report();
            if (warmUpToLog && phase == Phase.SERVING && warmUp.complete(report.nowMs())) {
                warmUpToLog = false;
                LOG.log(Level.INFO, "warm-up over: the window holds " + WarmUp.seconds(warmUp.periodMs())
                        + " s received since " + warmUp.completeSinceText() + "; KEDA gets every query's answer and"
                        + " readiness is true");
            }
            push(report.ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "readiness check failed; will retry", e);
        }
    }

    /** Logs how the warm-up stands as the service starts serving; returns whether one is running. */
    private boolean logStart(long nowMs) {
        long remaining = warmUp.remainingMs(nowMs);
        String since = warmUp.completeSinceText();
        if (warmUp.periodMs() == 0) {
            LOG.log(Level.INFO, "no warm-up (METRIC_STORE_WARM_UP_SECONDS=0): KEDA gets answers at once, also from a"
                    + " window complete only since " + since);
        } else if (remaining == 0) {
            LOG.log(Level.INFO, "no warm-up: the window is complete since " + since + ", more than the warm-up period ("
                    + WarmUp.seconds(warmUp.periodMs()) + " s) ago");
        } else {
            LOG.log(Level.INFO, "warm-up: the window is complete only since " + since + "; until a query's window (at most "
                    + WarmUp.seconds(warmUp.periodMs()) + " s, METRIC_STORE_WARM_UP_SECONDS) lies after that, GetMetrics"
                    + " and IsActive answer it UNAVAILABLE and StreamIsActive waits; readiness is false for "
                    + WarmUp.seconds(remaining) + " s more");
        }
        return remaining > 0;
    }

    private void push(ServingStatus status) {
        if (status != pushed) {
            pushed = status;
            health.setStatus(readinessName, status);
        }
    }
}
