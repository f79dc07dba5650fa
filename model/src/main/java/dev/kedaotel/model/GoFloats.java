package dev.kedaotel.model;

import java.math.BigDecimal;

/**
 * Go's float formatting as Prometheus uses it, on Java 17. Go prints the shortest decimal that reads back
 * as the same double (closest such if several); Java 17's {@code Double.toString} sometimes prints a
 * digit more (fixed only in JDK 19), e.g. {@code 7.0896679940719432E16} where Go prints
 * {@code 70896679940719430}, so texts built from it would differ from Prometheus'.
 *
 * <ul>
 *   <li>{@link #formatF}: {@code strconv.FormatFloat(v, 'f', -1, 64)}: never an exponent (count_values
 *       labels, {@code le} values);</li>
 *   <li>{@link #formatSample}: Prometheus' API sample value: {@code 'e'} form when |v| &lt; 1e-6 or
 *       |v| ≥ 1e21, else {@code 'f'}; {@code NaN}, {@code +Inf}, {@code -Inf}, and {@code -0} for negative zero.</li>
 * </ul>
 * Stateless and thread-safe; integers below 1e15 take an allocation-light fast path.
 */
public final class GoFloats {
    private GoFloats() {
    }

    /** Go's {@code strconv.ParseFloat} syntax: decimal or hexadecimal (with {@code p} exponent) floats, {@code inf}, {@code infinity}, {@code nan}. */
    private static final java.util.regex.Pattern GO_FLOAT = java.util.regex.Pattern.compile(
            "[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
            + "|0[xX](?:_?[0-9a-fA-F])*(?:\\.(?:[0-9a-fA-F]_?)*)?[pP][+-]?[0-9]+"
            + "|(?i:inf|infinity|nan))");

    /**
     * Go's {@code strconv.ParseFloat(s, 64)}, which Prometheus uses for every number in its HTTP API
     * parameters. Differs from {@link Double#parseDouble} where it matters: {@code 1d} and {@code 1f} are
     * not numbers (so {@code step=1d} is a day, not a second), white space is not trimmed, and a value
     * beyond the double range is an error rather than infinity.
     *
     * @throws NumberFormatException when {@code s} is not a Go float or is out of range
     */
    public static double parseFloat(String s) {
        if (!GO_FLOAT.matcher(s).matches()) {
            throw new NumberFormatException("invalid syntax: " + GoStrings.quote(s));
        }
        String body = s.charAt(0) == '+' || s.charAt(0) == '-' ? s.substring(1) : s;
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        boolean negative = s.charAt(0) == '-';
        if (lower.equals("inf") || lower.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        double v = Double.parseDouble(s.replace("_", ""));
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("value out of range: " + GoStrings.quote(s));
        }
        return v;
    }

    public static String formatF(double v) {
        String special = special(v);
        return special != null ? special : layout(v, false);
    }

    public static String formatSample(double v) {
        String special = special(v);
        if (special != null) {
            return special;
        }
        double abs = Math.abs(v);
        return layout(v, abs < 1e-6 || abs >= 1e21);
    }

    /**
     * Go's {@code fmt.Sprint(v)} ({@code strconv.FormatFloat(v, 'g', -1, 64)}), how Prometheus prints a
     * number literal: exponent form when the decimal exponent is below -4 or at least 6
     * ({@code 1e+06}, {@code 1.7092512e+09}, {@code 1e-05}), plain otherwise.
     */
    public static String formatG(double v) {
        String nonFinite = nonFiniteOrZero(v);
        if (nonFinite != null) {
            return nonFinite;
        }
        Decimal d = shortest(Math.abs(v));
        int exponent = d.e + digitCount(d.m) - 1;
        return layout(v, exponent < -4 || exponent >= 6);
    }

    /** Go's text for NaN, the infinities and the two zeros, which every format shares; null otherwise. */
    private static String nonFiniteOrZero(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
        }
        return null;
    }

    /** NaN, infinities, zeros and small integers, which need no digit search; null otherwise. */
    private static String special(double v) {
        String nonFinite = nonFiniteOrZero(v);
        if (nonFinite != null) {
            return nonFinite;
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return null;
    }

    /** Decimal digits {@code m} (no trailing zeros) and exponent {@code e}: |v| = m × 10^e. */
    private static final class Decimal {
        long m;
        int e;
    }

    private static String layout(double v, boolean exponent) {
        Decimal d = shortest(Math.abs(v));
        String digits = Long.toString(d.m);
        int n = digits.length();
        StringBuilder sb = new StringBuilder(n + 24);
        if (v < 0) {
            sb.append('-');
        }
        if (exponent) {
            // Go's 'e' layout: d.ddde±XX, at least two exponent digits.
            sb.append(digits.charAt(0));
            if (n > 1) {
                sb.append('.').append(digits, 1, n);
            }
            int x = d.e + n - 1;
            sb.append('e').append(x < 0 ? '-' : '+');
            if (Math.abs(x) < 10) {
                sb.append('0');
            }
            return sb.append(Math.abs(x)).toString();
        }
        if (d.e >= 0) {
            sb.append(digits);
            for (int i = 0; i < d.e; i++) {
                sb.append('0');
            }
        } else if (-d.e < n) {
            sb.append(digits, 0, n + d.e).append('.').append(digits, n + d.e, n);
        } else {
            sb.append("0.");
            for (int i = 0; i < -d.e - n; i++) {
                sb.append('0');
            }
            sb.append(digits);
        }
        return sb.toString();
    }

    /**
     * The shortest decimal reading back as {@code abs} (&gt; 0, finite); among equally short ones the
     * closest. Starts from Java's answer (always reads back, sometimes a digit or two long) and tries
     * one digit fewer while a neighbour at that length still reads back: both the rounded-down and the
     * rounded-up neighbour are candidates, since the nearer one need not read back when the other does.
     * Up to 15 significant digits a round-tripping decimal is unique, so Java's answer stands.
     */
    static Decimal shortest(double abs) {
        Decimal d = parse(Double.toString(abs));
        int n = digitCount(d.m);
        if (n == 17) {
            // 17 digits always read back, and several 17-digit decimals may: Java's is not always the
            // closest one, which Go prints when no shorter decimal reads back.
            BigDecimal closest = new BigDecimal(abs).round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
            d.m = closest.unscaledValue().longValueExact();
            d.e = -closest.scale();
            strip(d);
            n = digitCount(d.m);
        }
        while (n > 15) {
            long lo = d.m / 10;
            long hi = lo + 1;
            int e = d.e + 1;
            boolean loOk = lo > 0 && Double.parseDouble(lo + "E" + e) == abs;
            boolean hiOk = Double.parseDouble(hi + "E" + e) == abs;
            if (loOk && hiOk) {
                BigDecimal exact = new BigDecimal(abs);
                BigDecimal dl = new BigDecimal(java.math.BigInteger.valueOf(lo), -e);
                BigDecimal dh = new BigDecimal(java.math.BigInteger.valueOf(hi), -e);
                int c = exact.subtract(dl).abs().compareTo(dh.subtract(exact).abs());
                d.m = c < 0 || c == 0 && (lo & 1) == 0 ? lo : hi;
            } else if (loOk) {
                d.m = lo;
            } else if (hiOk) {
                d.m = hi;
            } else {
                break;
            }
            d.e = e;
            strip(d);
            n = digitCount(d.m);
        }
        return d;
    }

    /** Parses Java's {@code Double.toString} text ("123.45", "1.0E-7") of a positive finite double. */
    private static Decimal parse(String s) {
        Decimal d = new Decimal();
        int ePos = s.indexOf('E');
        String mant = ePos < 0 ? s : s.substring(0, ePos);
        int exp = ePos < 0 ? 0 : Integer.parseInt(s.substring(ePos + 1));
        int dot = mant.indexOf('.');
        String digits = dot < 0 ? mant : mant.substring(0, dot) + mant.substring(dot + 1);
        int fraction = dot < 0 ? 0 : mant.length() - dot - 1;
        d.m = Long.parseLong(digits);
        d.e = exp - fraction;
        strip(d);
        return d;
    }

    private static void strip(Decimal d) {
        while (d.m != 0 && d.m % 10 == 0) {
            d.m /= 10;
            d.e++;
        }
    }

    private static int digitCount(long m) {
        int n = 1;
        while (m >= 10) {
            m /= 10;
            n++;
        }
        return n;
    }
}
