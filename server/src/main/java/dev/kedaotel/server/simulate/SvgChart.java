package dev.kedaotel.server.simulate;

import dev.kedaotel.server.Markup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The replay as a standalone SVG (no script, no external resources): on top each trigger's metric with, dashed,
 * the value its replicas are sized for (target × replicas for {@code AverageValue}, the target for
 * {@code Value}) and, dotted, the activation threshold; below, the replica count as steps. Failed reads leave
 * gaps in the metric line and red marks on the time axis. Every text from the input (names) is escaped, and the
 * output depends only on the input, so a committed chart can be compared with a fresh one byte for byte.
 */
final class SvgChart {
    private static final int WIDTH = 960;
    private static final int LEFT = 70;
    private static final int RIGHT = 930;
    private static final int METRIC_TOP = 60;
    private static final int METRIC_BOTTOM = 260;
    private static final int REPLICA_TOP = 310;
    private static final int REPLICA_BOTTOM = 440;
    private static final int HEIGHT = 490;
    private static final String[] COLOURS = {"#1f77b4", "#9467bd", "#8c564b", "#e377c2"};
    private static final long[] TIME_STEPS_S = {15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private SvgChart() {
    }

    static String render(ScaledObjectSpec spec, List<Row> rows) {
        long from = rows.get(0).timeMs();
        long to = Math.max(from + 1000, rows.get(rows.size() - 1).timeMs());
        double metricMax = 0;
        int replicaMax = 1;
        for (Row r : rows) {
            replicaMax = Math.max(replicaMax, r.replicas());
            for (int i = 0; i < r.readings().size(); i++) {
                Trigger t = spec.triggers().get(i);
                if (r.readings().get(i).ok()) {
                    metricMax = Math.max(metricMax, r.readings().get(i).value().getAsDouble());
                }
                metricMax = Math.max(metricMax, Math.max(t.activationTarget(), sizedFor(t, r.replicas())));
            }
        }
        double metricStep = niceStep(metricMax / 4);
        double metricTop = Math.max(metricStep, Math.ceil(metricMax / metricStep) * metricStep);
        int replicaStep = (int) Math.max(1, niceStep(replicaMax / 4.0));
        int replicaTop = (int) (Math.ceil((double) replicaMax / replicaStep) * replicaStep);

        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        s.append("<text x=\"").append(LEFT).append("\" y=\"24\" font-size=\"15\" font-weight=\"bold\">")
                .append(Markup.escape("ScaledObject " + spec.name() + ": metric and replicas")).append("</text>\n");
        s.append("<text x=\"").append(LEFT).append("\" y=\"42\" fill=\"#555555\">")
                .append(Markup.escape(subtitle(spec, from, to))).append("</text>\n");

        // Grids and axes.
        for (double v = 0; v <= metricTop + metricStep / 2; v += metricStep) {
            double y = scale(v, 0, metricTop, METRIC_BOTTOM, METRIC_TOP);
            gridLine(s, y, Numbers.format(v));
        }
        for (int v = 0; v <= replicaTop; v += replicaStep) {
            double y = scale(v, 0, replicaTop, REPLICA_BOTTOM, REPLICA_TOP);
            gridLine(s, y, Integer.toString(v));
        }
        long tickS = TIME_STEPS_S[TIME_STEPS_S.length - 1];
        for (long candidate : TIME_STEPS_S) {
            if ((to - from) / 1000 / candidate <= 10) {
                tickS = candidate;
                break;
            }
        }
        long firstTick = Math.floorDiv(from + tickS * 1000 - 1, tickS * 1000) * tickS * 1000;
        for (long t = firstTick; t <= to; t += tickS * 1000) {
            double x = x(t, from, to);
            s.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(REPLICA_BOTTOM).append("\" x2=\"").append(f(x))
                    .append("\" y2=\"").append(REPLICA_BOTTOM + 5).append("\" stroke=\"#333333\"/>\n");
            s.append("<text x=\"").append(f(x)).append("\" y=\"").append(REPLICA_BOTTOM + 18)
                    .append("\" text-anchor=\"middle\">").append(CLOCK.format(Instant.ofEpochMilli(t))).append("</text>\n");
        }
        s.append("<text x=\"").append((LEFT + RIGHT) / 2).append("\" y=\"").append(REPLICA_BOTTOM + 36)
                .append("\" text-anchor=\"middle\" fill=\"#555555\">time (UTC)</text>\n");
        axisTitle(s, (METRIC_TOP + METRIC_BOTTOM) / 2, "metric");
        axisTitle(s, (REPLICA_TOP + REPLICA_BOTTOM) / 2, "replicas");

        // Metric lines, sized-for lines, activation thresholds.
        for (int i = 0; i < spec.triggers().size(); i++) {
            Trigger t = spec.triggers().get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder metric = new StringBuilder();
            StringBuilder sized = new StringBuilder();
            double lastSizedY = Double.NaN;
            boolean inSegment = false;
            for (Row r : rows) {
                double x = x(r.timeMs(), from, to);
                MetricReading m = r.readings().get(i);
                if (m.ok()) {
                    metric.append(inSegment ? " L" : " M").append(f(x)).append(',')
                            .append(f(scale(m.value().getAsDouble(), 0, metricTop, METRIC_BOTTOM, METRIC_TOP)));
                    inSegment = true;
                } else {
                    inSegment = false;
                    s.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(REPLICA_BOTTOM - 4).append("\" x2=\"")
                            .append(f(x)).append("\" y2=\"").append(REPLICA_BOTTOM + 4)
                            .append("\" stroke=\"#d62728\" stroke-width=\"2\"/>\n");
                }
                double y = scale(sizedFor(t, r.replicas()), 0, metricTop, METRIC_BOTTOM, METRIC_TOP);
                if (sized.length() == 0) {
                    sized.append('M').append(f(x)).append(',').append(f(y));
                } else {
                    sized.append(" H").append(f(x)).append(" V").append(f(y));
                }
                lastSizedY = y;
            }
            if (!Double.isNaN(lastSizedY)) {
                sized.append(" H").append(f(RIGHT));
            }
            s.append("<path d=\"").append(sized.toString().trim()).append("\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" opacity=\"0.7\"/>\n");
            if (metric.length() > 0) {
                s.append("<path d=\"").append(metric.toString().trim()).append("\" fill=\"none\" stroke=\"").append(colour)
                        .append("\" stroke-width=\"2\"/>\n");
            }
            if (t.activationTarget() > 0) {
                double y = scale(t.activationTarget(), 0, metricTop, METRIC_BOTTOM, METRIC_TOP);
                s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(RIGHT)
                        .append("\" y2=\"").append(f(y)).append("\" stroke=\"").append(colour)
                        .append("\" stroke-dasharray=\"2 3\"/>\n");
            }
            int legendY = METRIC_TOP + 14 + 16 * i;
            s.append("<text x=\"").append(LEFT + 8).append("\" y=\"").append(legendY).append("\" fill=\"").append(colour).append("\">")
                    .append(Markup.escape(t.name() + " (" + t.type() + ", " + t.metricType() + ") — dashed: "
                            + (t.metricType() == Trigger.MetricType.AverageValue
                            ? "target " + Numbers.format(t.target()) + " × replicas" : "target " + Numbers.format(t.target()))
                            + (t.activationTarget() > 0 ? "; dotted: activation " + Numbers.format(t.activationTarget()) : "")))
                    .append("</text>\n");
        }

        // Replica steps.
        StringBuilder steps = new StringBuilder();
        for (Row r : rows) {
            double x = x(r.timeMs(), from, to);
            double y = scale(r.replicas(), 0, replicaTop, REPLICA_BOTTOM, REPLICA_TOP);
            steps.append(steps.length() == 0 ? "M" + f(x) + "," + f(y) : " H" + f(x) + " V" + f(y));
        }
        steps.append(" H").append(f(RIGHT));
        s.append("<path d=\"").append(steps).append("\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2.5\"/>\n");
        s.append("</svg>\n");
        return s.toString();
    }

    /** The metric value the current replicas are sized for. */
    private static double sizedFor(Trigger t, int replicas) {
        return t.metricType() == Trigger.MetricType.AverageValue ? t.target() * replicas : t.target();
    }

    private static String subtitle(ScaledObjectSpec spec, long from, long to) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(from)) + " to "
                + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(to))
                + "; replicas " + spec.minReplicaCount() + ".." + spec.maxReplicaCount()
                + ", polling " + spec.pollingIntervalSeconds() + " s, cooldown " + spec.cooldownSeconds()
                + " s, HPA sync " + Replay.HPA_SYNC_SECONDS + " s; red marks: failed reads";
    }

    private static void gridLine(StringBuilder s, double y, String label) {
        s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(RIGHT).append("\" y2=\"")
                .append(f(y)).append("\" stroke=\"#e5e5e5\"/>\n");
        s.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\">")
                .append(Markup.escape(label)).append("</text>\n");
    }

    private static void axisTitle(StringBuilder s, int y, String text) {
        s.append("<text x=\"16\" y=\"").append(y).append("\" transform=\"rotate(-90 16 ").append(y)
                .append(")\" text-anchor=\"middle\" fill=\"#555555\">").append(Markup.escape(text)).append("</text>\n");
    }

    private static double x(long t, long from, long to) {
        return scale(t, from, to, LEFT, RIGHT);
    }

    private static double scale(double v, double lo, double hi, double outLo, double outHi) {
        return outLo + (v - lo) / (hi - lo) * (outHi - outLo);
    }

    /** 1, 2 or 5 × a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= rough) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
