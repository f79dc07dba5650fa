package dev.kedaotel.server.http;

import dev.kedaotel.model.Durations;
import dev.kedaotel.model.GoFloats;
import dev.kedaotel.model.GoStrings;

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

    /** A sample value exactly as Prometheus writes it (see {@link dev.kedaotel.model.GoFloats#formatSample}). */
    public static String value(double v) {
        return GoFloats.formatSample(v);
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
            double d = GoFloats.parseFloat(s);
            if (Double.isFinite(d)) {
                return Math.round(d * 1000.0);
            }
        } catch (NumberFormatException ignored) {
            // fall through to RFC 3339
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e2) {
                // ArithmeticException: a year such as +999999999 has no epoch millisecond (found by fuzzing).
                throw new IllegalArgumentException("invalid parameter \"" + name + "\": cannot parse \"" + s
                        + "\" to a valid timestamp");
            }
        }
    }

    /**
     * Parses a duration parameter ({@code step}, {@code timeout}, {@code lookback_delta}) to ms with
     * Prometheus' rules (see {@link Durations#parseParameter}); the message names the parameter.
     */
    public static long parseDuration(String name, String s) {
        try {
            return Durations.parseParameter(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid parameter " + GoStrings.quote(name) + ": " + e.getMessage());
        }
    }
}
