package dev.kedaotel.scaler;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a number written as a plain float or as a Kubernetes resource quantity, because KServe
 * passes a {@code MetricQuantity}'s raw text straight into {@code targetValue} (e.g. {@code "500m"}).
 *
 * <p>Accepted: an optionally signed decimal ({@code 8}, {@code 0.5}, {@code .5}, {@code 5.}) followed
 * by nothing, a decimal SI suffix ({@code n u m k M G T P E}), a binary SI suffix ({@code Ki Mi Gi Ti
 * Pi Ei}) or a decimal exponent ({@code e3}, {@code E-2}). As in Kubernetes, a bare {@code E} is exa
 * while {@code E} followed by digits is an exponent.
 */
public final class KubernetesQuantity {
    private static final Pattern SHAPE = Pattern.compile("([+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+))(.*)");
    private static final Pattern EXPONENT = Pattern.compile("[eE]([+-]?[0-9]+)");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", new BigDecimal("1e-9")),
            Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")),
            Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    private KubernetesQuantity() {
    }

    /**
     * The value of {@code text} (surrounding whitespace ignored).
     *
     * @throws NumberFormatException naming what was wrong
     */
    public static double parse(String text) {
        if (text == null || text.isBlank()) {
            throw new NumberFormatException("empty value");
        }
        String trimmed = text.trim();
        Matcher shape = SHAPE.matcher(trimmed);
        if (!shape.matches()) {
            throw new NumberFormatException("not a number or Kubernetes quantity: \"" + trimmed + "\"");
        }
        BigDecimal number = new BigDecimal(shape.group(1).endsWith(".")
                ? shape.group(1).substring(0, shape.group(1).length() - 1)
                : shape.group(1));
        String suffix = shape.group(2);
        BigDecimal multiplier = SUFFIXES.get(suffix);
        if (multiplier != null) {
            return number.multiply(multiplier).doubleValue();
        }
        Matcher exponent = EXPONENT.matcher(suffix);
        if (exponent.matches()) {
            try {
                return number.scaleByPowerOfTen(Integer.parseInt(exponent.group(1))).doubleValue();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new NumberFormatException("exponent out of range in \"" + trimmed + "\"");
            }
        }
        throw new NumberFormatException("unknown quantity suffix \"" + suffix + "\" in \"" + trimmed
                + "\" (expected n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent like e3)");
    }
}
