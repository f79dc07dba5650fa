package dev.kedaotel.server.ui;

import dev.kedaotel.query.QueryResult;

import java.util.List;
import java.util.Locale;

/**
 * Server-rendered inline SVG line charts of query results: the status page's sparklines and the explorer's
 * graph. No script, no library: each series is a {@code <polyline>} per run of finite values (a gap where
 * a step has no value, as Prometheus' graph shows it), scaled into a fixed box; axis labels give the value
 * range and the time span. Text inside the SVG (labels, titles) goes through {@link Html#esc}, the same
 * escaping as the HTML around it.
 *
 * <p>Bounded: at most {@code maxSeries} series are drawn (the caller says how many more there were), each
 * with the points of one range query at a modest step. Stateless and thread-safe.
 */
final class Charts {
    /** Line colours, cycled (Prometheus-like palette). */
    static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf"};

    private Charts() {
    }

    /**
     * An SVG of {@code series} over {@code [startMs, endMs]}.
     *
     * @param axes whether to label the value range and the times (the explorer's graph) or not (a sparkline)
     * @param title the chart's accessible title (escaped here)
     */
    static String svg(List<QueryResult.Series> series, int maxSeries, long startMs, long endMs, int width, int height, boolean axes,
                      String title) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int drawn = Math.min(series.size(), maxSeries);
        for (int s = 0; s < drawn; s++) {
            for (double v : series.get(s).values()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        StringBuilder b = new StringBuilder(1024);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\"><title>")
                .append(Html.esc(title)).append("</title>");
        if (lo > hi) {
            b.append("<text x=\"6\" y=\"").append(height / 2 + 4).append("\" font-size=\"12\" fill=\"#6b7384\">no samples in the window</text>");
            return b.append("</svg>").toString();
        }
        if (lo > 0) {
            lo = 0; // scaling values read best from zero
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        int left = axes ? 56 : 2;
        int bottom = axes ? 18 : 2;
        int top = axes ? 8 : 2;
        int right = 4;
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        double span = Math.max(1, endMs - startMs);
        if (axes) {
            b.append("<g font-size=\"11\" fill=\"#5a6475\">")
                    .append(text(2, top + 9, Html.num(hi))).append(text(2, height - bottom, Html.num(lo)))
                    .append(text(left, height - 4, Html.time(startMs)))
                    .append("<text x=\"").append(width - right).append("\" y=\"").append(height - 4).append("\" text-anchor=\"end\">")
                    .append(Html.esc(Html.time(endMs))).append("</text></g>")
                    .append("<line x1=\"").append(left).append("\" y1=\"").append(top).append("\" x2=\"").append(left).append("\" y2=\"")
                    .append(height - bottom).append("\" stroke=\"#c9ced6\"/>");
        }
        for (int s = 0; s < drawn; s++) {
            QueryResult.Series one = series.get(s);
            String color = COLORS[s % COLORS.length];
            StringBuilder run = new StringBuilder();
            long[] ts = one.timestamps();
            double[] vs = one.values();
            for (int i = 0; i <= ts.length; i++) {
                boolean point = i < ts.length && Double.isFinite(vs[i]);
                if (point) {
                    double x = left + (ts[i] - startMs) / span * plotW;
                    double y = top + (hi - vs[i]) / (hi - lo) * plotH;
                    run.append(fmt(x)).append(',').append(fmt(y)).append(' ');
                } else if (run.length() > 0) {
                    b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
                            .append(run.toString().trim()).append("\"><title>").append(Html.esc(one.labels().toString()))
                            .append("</title></polyline>");
                    run.setLength(0);
                }
            }
        }
        return b.append("</svg>").toString();
    }

    private static String text(int x, int y, String s) {
        return "<text x=\"" + x + "\" y=\"" + y + "\">" + Html.esc(s) + "</text>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
