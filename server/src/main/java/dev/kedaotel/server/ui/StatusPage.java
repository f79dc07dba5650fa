package dev.kedaotel.server.ui;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryOptions;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.receiver.ReceiverStats;
import dev.kedaotel.scaler.ScaledObjectSnapshot;
import dev.kedaotel.scaler.WarmUp;
import dev.kedaotel.server.http.ReadinessReport;
import dev.kedaotel.tsdb.RestoreReport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The status page ({@code /ui}): every ScaledObject KEDA has asked about — what it sent, what it was compiled
 * to, the last answer, what the HPA formula makes of it, a sparkline of the compiled query over the window,
 * the pushes of its StreamIsActive streams — and the store's health.
 *
 * <p>Reading, not driving: the ScaledObjects come from {@code ExternalScalerService#scaledObjects()} (a
 * read-only snapshot: the last answers of the standing queries, never a new evaluation of them), the
 * health from counters. The only queries it runs are the sparklines' range queries, through the query engine
 * on the HTTP query lane like {@code /api/v1/query_range}: at a step of a sixtieth of the window (at least 1 s),
 * for at most {@value #MAX_SPARKLINES} ScaledObjects, all within one {@code QUERY_TIMEOUT_SECONDS} budget —
 * so a page view costs what ~50 small range queries cost, whatever the number of ScaledObjects.
 *
 * <p>The metadata shown is the scaler's redacted copy (secret values replaced, see
 * {@code ScalerMetadataSecrets}); every string is escaped by {@link Html#esc}. Stateless and thread-safe.
 */
final class StatusPage {
    /** ScaledObjects whose sparkline is drawn per page view. */
    static final int MAX_SPARKLINES = 50;
    /** Series drawn per sparkline (a scaling query has one; a broken one may have many). */
    static final int SPARKLINE_SERIES = 5;

    private final UiSources src;

    StatusPage(UiSources src) {
        this.src = src;
    }

    String render() {
        long now = src.time().wallMillis();
        long deadlineNanos = src.time().monotonicNanos() + src.queryTimeoutMs() * 1_000_000L;
        StringBuilder b = Html.begin("Status", src.version());
        b.append("<p class=\"muted\">As of ").append(Html.time(now)).append(" · window ").append(src.retentionMs() / 1000)
                .append(" s · reloads every 15 s (<a href=\"/ui?refresh=off\">stop</a>)</p>");
        health(b, now);
        List<ScaledObjectSnapshot> all = src.scaler().scaledObjects();
        b.append("<h2 class=\"list\" id=\"scaledobjects\">ScaledObjects (").append(all.size()).append(")</h2>");
        if (all.isEmpty()) {
            b.append("<section><p class=\"muted\">No ScaledObject has asked yet. KEDA calls this scaler when a ScaledObject has a"
                    + " trigger of type <code>external</code> or <code>external-push</code> with <code>scalerAddress</code> pointing"
                    + " here.</p></section>");
        }
        int i = 0;
        for (ScaledObjectSnapshot s : all) {
            scaledObject(b, s, i, i < MAX_SPARKLINES ? deadlineNanos : Long.MIN_VALUE, now);
            i++;
        }
        return Html.end(b, true);
    }

    private void health(StringBuilder b, long now) {
        ReceiverStats rs = src.receiver();
        double rate = src.ingest().perSecond();
        b.append("<section id=\"health\"><h2>Store health</h2><table>")
                .append(row("Series", Integer.toString(src.store().seriesCount())))
                .append(row("Ingest rate", Double.isNaN(rate) ? "— (measured once a second over the last minute)"
                        : String.format(java.util.Locale.ROOT, "%.1f points/s (last minute)", rate)))
                .append(row("Points received / stored", rs.pointsReceived() + " / " + rs.pointsStored()));
        StringBuilder rejected = new StringBuilder();
        for (String reason : ReceiverStats.rejectionReasons()) {
            long n = rs.rejected(reason);
            if (n > 0) {
                rejected.append(rejected.length() == 0 ? "" : ", ").append(Html.esc(reason)).append(": ").append(n);
            }
        }
        b.append("<tr><th>Rejected points</th><td id=\"rejections\">").append(rejected.length() == 0 ? "none" : rejected)
                .append("</td></tr>")
                .append(row("Refused requests", "malformed " + rs.malformedRequests() + ", oversized " + rs.oversizedRequests()));
        ReadinessReport ready = src.readiness().get();
        WarmUp w = ready.warmUp();
        long remaining = w.remainingMs(now);
        b.append(row("Readiness", ready.status()))
                .append(row("Warm-up", remaining > 0
                        ? "warming: " + WarmUp.seconds(remaining) + " s left (window complete since " + w.completeSinceText() + ")"
                        : "complete (window complete since " + w.completeSinceText() + ", period " + WarmUp.seconds(w.periodMs()) + " s)"));
        RestoreReport restore = src.store().restoreReport();
        b.append(row("Persistence", restore.outcome() == RestoreReport.Outcome.DISABLED ? "off (METRIC_STORE_DATA_DIR unset)"
                : restore.toString()))
                .append(row("Standing queries / open streams", src.standing().size() + " / " + src.scaler().openIsActiveStreams()))
                .append("</table></section>");
    }

    private static String row(String name, String value) {
        return "<tr><th>" + Html.esc(name) + "</th><td>" + Html.esc(value) + "</td></tr>";
    }

    private void scaledObject(StringBuilder b, ScaledObjectSnapshot s, int index, long deadlineNanos, long now) {
        b.append("<section class=\"scaledobject\" id=\"so-").append(index).append("\"><h3>").append(Html.esc(s.namespace())).append(" / ")
                .append(Html.esc(s.name())).append(" <span class=\"badge\">").append(Html.esc(s.triggerType())).append("</span> ");
        if (s.evaluated() && s.error() == null) {
            b.append(s.active() ? "<span class=\"active\">active</span>" : "<span class=\"inactive\">inactive</span>");
        }
        b.append("</h3><div class=\"so\"><div><table>")
                .append(row("metricQuery", s.metricQuery()));
        if (s.promql() != null) {
            b.append("<tr><th>compiled PromQL</th><td><code class=\"promql\">").append(Html.esc(s.promql()))
                    .append("</code> <a href=\"").append(Html.esc(exploreLink(s.promql()))).append("\">explore</a></td></tr>")
                    .append(row("syntax", s.kedifySyntax() ? "kedify" : "PromQL"));
        }
        if (s.operationOverTime() != null && s.kedifySyntax()) {
            b.append(row("operationOverTime", s.operationOverTime().wireName()));
        }
        b.append(row("targetValue", Html.num(s.targetValue())))
                .append(row("activationTargetValue", Html.num(s.activationTargetValue())));
        if (Double.isFinite(s.clampMin()) || Double.isFinite(s.clampMax())) {
            b.append(row("clamps", "[" + Html.num(s.clampMin()) + ", " + Html.num(s.clampMax()) + "]"));
        }
        b.append("<tr><th>value</th><td class=\"value\">").append(Double.isNaN(s.value()) ? "—" : Html.esc(Html.num(s.value())))
                .append(s.evaluated() && !s.found() && s.error() == null ? " <span class=\"muted\">(no fresh series: value-if-not-found)</span>" : "")
                .append(s.evaluated() ? " <span class=\"muted\">evaluated " + Html.time(s.lastEvaluatedMs()) + "</span>" : "")
                .append("</td></tr>")
                .append("<tr><th>HPA wants</th><td class=\"replicas\">").append(replicas(s)).append("</td></tr>");
        if (s.error() != null) {
            b.append("<tr><th>error</th><td class=\"err\">").append(Html.esc(s.error())).append("</td></tr>");
        }
        b.append(row("last call", Html.time(s.lastCallMs()) + (s.lastRpc() == null ? "" : " " + s.lastRpc())))
                .append(row("open streams", Integer.toString(s.openStreams())));
        // The scaler's redacted copy: secret values (inline TLS keys, passwords) never reach this page.
        b.append("<tr><th>metadata</th><td><details><summary>").append(s.metadata().size()).append(" keys (secrets redacted)</summary>");
        for (Map.Entry<String, String> m : s.metadata().entrySet()) {
            b.append("<code>").append(Html.esc(m.getKey())).append('=').append(Html.esc(m.getValue())).append("</code> ");
        }
        b.append("</details></td></tr></table></div><div class=\"spark\">");
        sparkline(b, s, deadlineNanos, now);
        b.append("</div><div class=\"pushes\">");
        pushes(b, s);
        b.append("</div></div></section>");
    }

    /** The HPA's formula for an external metric with an AverageValue target: desired = ceil(value / target). */
    static String replicas(ScaledObjectSnapshot s) {
        if (!Double.isFinite(s.value()) || !(s.targetValue() > 0)) {
            return "— <span class=\"muted\">(no value yet)</span>";
        }
        long n = (long) Math.ceil(s.value() / s.targetValue());
        return "ceil(" + Html.esc(Html.num(s.value())) + " / " + Html.esc(Html.num(s.targetValue())) + ") = <b>" + n
                + "</b> <span class=\"muted\">replicas, before minReplicaCount/maxReplicaCount (not known to the scaler)</span>";
    }

    private void sparkline(StringBuilder b, ScaledObjectSnapshot s, long deadlineNanos, long now) {
        if (s.promql() == null) {
            b.append("<p class=\"muted\">no chart: the metadata does not compile</p>");
            return;
        }
        if (deadlineNanos == Long.MIN_VALUE) {
            b.append("<p class=\"muted\">no chart: the page draws the first ").append(MAX_SPARKLINES).append(" ScaledObjects</p>");
            return;
        }
        long leftMs = (deadlineNanos - src.time().monotonicNanos()) / 1_000_000L;
        if (leftMs <= 0) {
            b.append("<p class=\"muted\">no chart: the page's query time (QUERY_TIMEOUT_SECONDS) is used up</p>");
            return;
        }
        long start = now - src.retentionMs();
        long step = Math.max(1_000, src.retentionMs() / 60);
        try {
            QueryResult r = src.engine().range(src.engine().parse(s.promql()), start, now, step,
                    QueryOptions.builder().timeoutMs(leftMs).build());
            b.append(Charts.svg(r.series(), SPARKLINE_SERIES, start, now, 320, 90, false,
                    "compiled query over the last " + src.retentionMs() / 1000 + " s"));
            b.append("<div class=\"muted\">last ").append(src.retentionMs() / 1000).append(" s, step ").append(step / 1000).append(" s");
            if (r.series().size() > SPARKLINE_SERIES) {
                b.append(", ").append(r.series().size() - SPARKLINE_SERIES).append(" more series not drawn");
            }
            b.append("</div>");
        } catch (PromQLException e) {
            b.append("<p class=\"err\">chart query failed: ").append(Html.esc(e.getMessage())).append("</p>");
        }
    }

    private static void pushes(StringBuilder b, ScaledObjectSnapshot s) {
        if (!s.streamed()) {
            b.append("<p class=\"muted\">polled (GetMetrics/IsActive): no StreamIsActive pushes</p>");
            return;
        }
        b.append("<table class=\"pushlist\"><tr><th>pushed (UTC)</th><th>active</th><th>value</th></tr>");
        for (ScaledObjectSnapshot.Push p : s.pushes()) {
            b.append("<tr><td>").append(Html.time(p.atMs())).append("</td><td>").append(p.active())
                    .append("</td><td>").append(Html.esc(Html.num(p.value()))).append("</td></tr>");
        }
        b.append("</table>");
        if (s.pushCount() > s.pushes().size()) {
            b.append("<div class=\"muted\">the last ").append(s.pushes().size()).append(" of ").append(s.pushCount()).append(" pushes</div>");
        } else if (s.pushes().isEmpty()) {
            b.append("<div class=\"muted\">nothing pushed yet</div>");
        }
    }

    static String exploreLink(String promql) {
        return "/ui/explore?syntax=promql&q=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    }
}
