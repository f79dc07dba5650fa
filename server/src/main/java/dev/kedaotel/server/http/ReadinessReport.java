package dev.kedaotel.server.http;

import dev.kedaotel.scaler.WarmUp;

/**
 * What {@code /readyz} (and {@code /-/ready}) answer: 200 when ready, else 503, with a JSON body that
 * says why — probes look only at the status, people and scripts at the body:
 * <pre>{"ready":false,"status":"warming_up","warmUp":{"state":"warming","completeSince":"…","periodSeconds":120,"remainingSeconds":87}}</pre>
 *
 * @param status {@code starting}, {@code warming_up}, {@code ready} or {@code stopping} (shutting down, or
 *     out of memory)
 * @param warmUp the window's warm-up
 * @param nowMs the time the report was made (wall clock)
 */
public record ReadinessReport(String status, WarmUp warmUp, long nowMs) {
    public static final String STARTING = "starting";
    public static final String WARMING_UP = "warming_up";
    public static final String READY = "ready";
    public static final String STOPPING = "stopping";

    public boolean ready() {
        return READY.equals(status);
    }

    /** The body: readiness, its status, and the warm-up's state ({@code warming} or {@code complete}). */
    public String json() {
        long remaining = warmUp.remainingMs(nowMs);
        return new JsonWriter().beginObject()
                .name("ready").value(ready())
                .name("status").value(status)
                .name("warmUp").beginObject()
                .name("state").value(remaining > 0 ? "warming" : "complete")
                .name("completeSince").value(warmUp.completeSinceText())
                .name("periodSeconds").value(WarmUp.seconds(warmUp.periodMs()))
                .name("remainingSeconds").value(WarmUp.seconds(remaining))
                .endObject()
                .endObject().toString();
    }
}
