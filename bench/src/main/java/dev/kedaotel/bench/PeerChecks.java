package dev.kedaotel.bench;

import java.util.List;

/**
 * Proves a system holds what it was sent before its memory is reported: per metric name, the series
 * count ({@code count(name)}) and the samples of the 2-minute window
 * ({@code sum(count_over_time(name[2m]))}, 24 per series at 5 s). Evaluated at a round's timestamp
 * + 2.5 s, so the range (T − 2 m, T] holds exactly 24 rounds whatever a system's range-boundary
 * convention. Also compares the exact label sets of one pod's 33 series across systems
 * ({@code /api/v1/series}), which catches a protocol mapping that renames or drops a label.
 */
final class PeerChecks {
    static final int WINDOW_SAMPLES = 24;

    private PeerChecks() {
    }

    /** Null when every count is as expected, else what differs. */
    static String counts(PeerApi api, PeerWorkload w, long timeMs) throws Exception {
        long[] expected = w.expectedPerName();
        StringBuilder bad = new StringBuilder();
        long series = 0;
        long samples = 0;
        for (int n = 0; n < PeerWorkload.NAMES.length; n++) {
            String name = PeerWorkload.NAMES[n];
            double c = api.scalar("count(" + name + ")", timeMs);
            double s = api.scalar("sum(count_over_time(" + name + "[2m]))", timeMs);
            series += (long) c;
            samples += (long) s;
            if (c != expected[n] || s != expected[n] * WINDOW_SAMPLES) {
                bad.append(String.format(" %s: %.0f series (want %d), %.0f samples (want %d);", name, c, expected[n], s,
                        expected[n] * WINDOW_SAMPLES));
            }
        }
        System.out.printf("  %-18s holds %,d series, %,d samples in the 2m window at %s%s%n", api.name, series, samples,
                PeerApi.seconds(timeMs), bad.length() == 0 ? " (as sent)" : " — MISMATCH");
        return bad.length() == 0 ? null : bad.toString();
    }

    /** One pod's series (every metric type) as label texts. */
    static List<String> podSeries(PeerApi api, long timeMs) throws Exception {
        String match = "{namespace=\"ns-0\",pod=\"" + PeerWorkload.podName(0, 0) + "\"}";
        return PromJson.seriesResult(api.series(match, timeMs - 60_000, timeMs));
    }
}
