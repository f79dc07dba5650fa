package dev.kedaotel.model;

/**
 * Durations, the one place that reads and writes them, with Prometheus' and Go's rules. Three grammars
 * exist and each has its use:
 * <ul>
 *   <li>{@link #parse}: Prometheus' {@code model.ParseDuration} — units in descending order, each at most
 *       once: {@code 1y2w3d4h5m6s7ms} ({@code y} = 365 days, {@code w} = 7 days), or {@code 0}. This is
 *       the grammar of PromQL ranges, offsets and subquery steps. {@code 1s1m} is not a duration.</li>
 *   <li>{@link #parseParameter}: the HTTP API's {@code step}, {@code timeout}, {@code lookback_delta}: a
 *       Go float of seconds ({@code 15}, {@code 0.5}, {@code 1e3}) or else a {@link #parse} duration.</li>
 *   <li>{@link #parseGo}: Go's {@code time.ParseDuration} ({@code 5m}, {@code 1.5h}, {@code 300ms}), the
 *       grammar of kedify's settings such as {@code OTLP_CERTIFICATE_RELOAD_INTERVAL}.</li>
 * </ul>
 * All three refuse what Go's {@code time.Duration} (int64 nanoseconds, about 292 years) cannot hold,
 * as Prometheus does: an overflowing duration is an error, never a wrapped negative number. Results are
 * milliseconds, the store's and the engine's unit. Stateless and thread-safe.
 */
public final class Durations {
    /** The largest duration Go can represent, in whole milliseconds (int64 nanoseconds / 10^6). */
    public static final long MAX_MS = Long.MAX_VALUE / 1_000_000L;

    private static final long MS_SECOND = 1000L;
    private static final long MS_MINUTE = 60 * MS_SECOND;
    private static final long MS_HOUR = 60 * MS_MINUTE;
    private static final long MS_DAY = 24 * MS_HOUR;
    private static final long MS_WEEK = 7 * MS_DAY;
    private static final long MS_YEAR = 365 * MS_DAY;

    /** Prometheus' units in the only order they may appear. */
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MS = {MS_YEAR, MS_WEEK, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND, 1};

    private Durations() {
    }

    /**
     * Prometheus' {@code model.ParseDuration}. Throws {@link IllegalArgumentException} with Prometheus'
     * message: {@code not a valid duration string: "1s1m"} or {@code duration out of range}.
     */
    public static long parse(String text) {
        if (text.equals("0")) {
            return 0;
        }
        if (text.isEmpty()) {
            throw notValid(text);
        }
        long total = 0;
        boolean overflow = false;
        int pos = 0;
        int nextUnit = 0;
        while (pos < text.length()) {
            int start = pos;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw notValid(text);
            }
            int unit = unitAt(text, pos, nextUnit);
            if (unit < 0) {
                throw notValid(text);
            }
            pos += UNITS[unit].length();
            nextUnit = unit + 1;
            long n = parseDigits(text, start, pos - UNITS[unit].length());
            if (n < 0 || n > MAX_MS / UNIT_MS[unit]) {
                overflow = true;
            } else {
                total += n * UNIT_MS[unit];
                overflow |= total > MAX_MS;
            }
        }
        if (overflow) {
            throw new IllegalArgumentException("duration out of range");
        }
        return total;
    }

    /**
     * The HTTP API's duration parameters, as Prometheus' {@code parseDuration}: a Go float of seconds,
     * else a {@link #parse} duration. Throws {@link IllegalArgumentException} with Prometheus' text:
     * {@code cannot parse "x" to a valid duration}, with {@code . It overflows int64} when the seconds do
     * not fit. Fractions below a millisecond are truncated towards zero.
     */
    public static long parseParameter(String text) {
        double seconds;
        try {
            seconds = GoFloats.parseFloat(text);
        } catch (NumberFormatException notAFloat) {
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot parse " + GoStrings.quote(text) + " to a valid duration");
            }
        }
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("cannot parse " + GoStrings.quote(text) + " to a valid duration");
        }
        double nanos = seconds * 1e9;
        if (nanos >= 0x1p63 || nanos < -0x1p63) {
            throw new IllegalArgumentException("cannot parse " + GoStrings.quote(text)
                    + " to a valid duration. It overflows int64");
        }
        return ((long) nanos) / 1_000_000L;
    }

    /**
     * Go's {@code time.ParseDuration}: a sequence of decimal numbers with optional fraction and a unit
     * each ({@code ns us µs ms s m h}), optionally signed; {@code 0} alone needs no unit. Throws
     * {@link IllegalArgumentException} with Go's wording ({@code time: invalid duration "x"}).
     * Truncated to whole milliseconds.
     */
    public static long parseGo(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw goInvalid(text);
        }
        java.math.BigDecimal nanos = java.math.BigDecimal.ZERO;
        int pos = 0;
        while (pos < s.length()) {
            int start = pos;
            while (pos < s.length() && (isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            String number = s.substring(start, pos);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw goInvalid(text);
            }
            int unitStart = pos;
            while (pos < s.length() && !isDigit(s.charAt(pos)) && s.charAt(pos) != '.') {
                pos++;
            }
            long unitNanos;
            switch (s.substring(unitStart, pos)) {
                case "ns": unitNanos = 1; break;
                case "us": case "µs": case "μs": unitNanos = 1_000; break;
                case "ms": unitNanos = 1_000_000; break;
                case "s": unitNanos = 1_000_000_000L; break;
                case "m": unitNanos = 60_000_000_000L; break;
                case "h": unitNanos = 3_600_000_000_000L; break;
                case "":
                    throw new IllegalArgumentException("time: missing unit in duration " + GoStrings.quote(text));
                default:
                    throw new IllegalArgumentException("time: unknown unit " + GoStrings.quote(s.substring(unitStart, pos))
                            + " in duration " + GoStrings.quote(text));
            }
            String n = number.startsWith(".") ? "0" + number : number;
            nanos = nanos.add(new java.math.BigDecimal(n).multiply(java.math.BigDecimal.valueOf(unitNanos)));
        }
        if (nanos.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw goInvalid(text);
        }
        long ms = nanos.longValue() / 1_000_000L;
        return negative ? -ms : ms;
    }

    /**
     * Prometheus' {@code model.Duration.String()}: {@code 1h30m}, {@code 500ms}, {@code 1w}, {@code 0s};
     * years and weeks only when the whole duration is a multiple of them.
     */
    public static String format(long ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        if (ms % MS_YEAR == 0) {
            return sb.append(ms / MS_YEAR).append('y').toString();
        }
        if (ms % MS_WEEK == 0) {
            return sb.append(ms / MS_WEEK).append('w').toString();
        }
        for (int i = 2; i < UNITS.length; i++) {
            long v = ms / UNIT_MS[i];
            if (v > 0) {
                sb.append(v).append(UNITS[i]);
                ms -= v * UNIT_MS[i];
            }
        }
        return sb.toString();
    }

    /** The index of the unit at {@code pos} that may come at or after {@code from}, or -1. */
    private static int unitAt(String text, int pos, int from) {
        // "ms" must be tried before "m"; it is also the last unit, so the order check still holds.
        if (text.startsWith("ms", pos)) {
            return from <= 6 ? 6 : -1;
        }
        for (int u = from; u < 6; u++) {
            if (text.startsWith(UNITS[u], pos)) {
                return u;
            }
        }
        return -1;
    }

    /** The value of the digits, or -1 when they do not fit a long. */
    private static long parseDigits(String text, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = text.charAt(i) - '0';
            if (n > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException notValid(String text) {
        return new IllegalArgumentException("not a valid duration string: " + GoStrings.quote(text));
    }

    private static IllegalArgumentException goInvalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + GoStrings.quote(text));
    }
}
