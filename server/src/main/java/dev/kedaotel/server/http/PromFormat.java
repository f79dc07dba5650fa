package dev.kedaotel.server.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Prometheus' text conventions for the HTTP API: sample values as Prometheus writes them
 * ("1", "0.5", "1e-07", "NaN", "+Inf"), timestamps as unix seconds with millisecond precision, and the
 * parsing of {@code time}/{@code start}/{@code end} (RFC 3339 or unix seconds) and of durations
 * ({@code step}, {@code timeout}: float seconds or {@code 1m30s}).
 */
public final class PromFormat {
    private PromFormat() {
    }

    /** A sample value exactly as Prometheus writes it (see {@link dev.kedaotel.tsdb.GoFloats#formatSample}). */
    public static String value(double v) {
        return dev.kedaotel.tsdb.GoFloats.formatSample(v);
    }

    /** Unix seconds with up to three decimals, as a JSON number. */
    public static String timestamp(long ms) {
        long sec = Math.floorDiv(ms, 1000);
        long frac = Math.floorMod(ms, 1000);
        if (frac == 0) {
            return Long.toString(sec);
        }
        String f = String.format("%03d", frac);
        while (f.endsWith("0")) {
            f = f.substring(0, f.length() - 1);
        }
        return sec + "." + f;
    }

    /** Parses a Prometheus time parameter to epoch ms; throws IllegalArgumentException naming the value. */
    public static long parseTime(String name, String s) {
        // What Prometheus' own clients send for "no bound" (its min/max time, RFC 3339 formatted).
        if (s.equals("-292275055-05-16T16:47:04.192Z")) {
            return Long.MIN_VALUE;
        }
        if (s.equals("292277025-08-18T07:12:54.999Z")) {
            return Long.MAX_VALUE;
        }
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return Math.round(d * 1000.0);
        } catch (NumberFormatException ignored) {
            // fall through to RFC 3339
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("invalid parameter \"" + name + "\": cannot parse \"" + s
                        + "\" to a valid timestamp");
            }
        }
    }

    /** Parses a duration parameter (float seconds or Prometheus duration such as 1m30s) to ms. */
    public static long parseDuration(String name, String s) {
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return Math.round(d * 1000.0);
        } catch (NumberFormatException ignored) {
            // a unit-suffixed duration
        }
        long total = 0;
        int i = 0;
        boolean any = false;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw badDuration(name, s);
            }
            long n = Long.parseLong(s.substring(start, i));
            int u = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            long unitMs;
            switch (s.substring(u, i)) {
                case "ms": unitMs = 1; break;
                case "s": unitMs = 1000; break;
                case "m": unitMs = 60_000; break;
                case "h": unitMs = 3_600_000; break;
                case "d": unitMs = 86_400_000; break;
                case "w": unitMs = 7 * 86_400_000L; break;
                case "y": unitMs = 365 * 86_400_000L; break;
                default: throw badDuration(name, s);
            }
            total += n * unitMs;
            any = true;
        }
        if (!any) {
            throw badDuration(name, s);
        }
        return total;
    }

    private static IllegalArgumentException badDuration(String name, String s) {
        return new IllegalArgumentException("invalid parameter \"" + name + "\": cannot parse \"" + s + "\" to a valid duration");
    }
}
