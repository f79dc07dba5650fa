package dev.kedaotel.model;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.Map;

/**
 * A PromQL regular expression as Prometheus 2.42 compiles it: Go's {@code regexp} (RE2 syntax; the
 * reference binary is built with Go 1.19) over {@code ^(?:re)$}, so it matches whole values, and
 * {@code .} does not match a newline (that changed only in Prometheus 3).
 *
 * <p><b>Why RE2/J.</b> {@code java.util.regex} backtracks: {@code (.*a){15}b} over a 30-character value
 * runs for seconds and every two more characters multiply that by four, with no way for the query
 * deadline to stop it. RE2/J ({@code com.google.re2j}) is a port of Go's own engine: matching is linear in
 * the value's length, and its syntax and error texts are Go's ({@code error parsing regexp: missing
 * closing ): `^(?:(a)$`}), so Java-only syntax (lookaround, possessive quantifiers, backreferences) is
 * rejected with Prometheus' words.
 *
 * <p><b>What RE2/J lacks, checked here before it compiles</b> (one linear scan of the text):
 * <ul>
 *   <li>Go 1.19's limits, with Go's errors: groups nested deeper than Go's 1000-level tree height
 *       ({@code expression nests too deeply}); nested counted repetitions whose product exceeds 1000,
 *       e.g. {@code (a{100}){100}} ({@code invalid repeat count}); programs over Go's 128 MiB size bound
 *       (Go 1.19 reports {@code regexp/syntax: internal error}). Without them RE2/J overflows the stack on
 *       deep nesting and spends minutes and gigabytes on {@code ((a{1000}){1000}){1000}}.</li>
 *   <li>Go 1.19 rejects {@code (?<name>…)} (only {@code (?P<name>…)} names a group); RE2/J accepts it.</li>
 *   <li>RE2/J's matcher follows empty-width steps (alternatives, optional and repeated parts, captures,
 *       anchors) by recursion, one frame per step: {@code a*} written 3,000 times overflows a 512 KiB
 *       thread stack while matching. A regex with more than {@link #MAX_EMPTY_STEPS} such steps is
 *       refused (Go has no such limit, so this is a documented difference; alternations of plain or
 *       escaped literals, the usual long regexes, never reach RE2/J: see {@link LabelMatcher}).</li>
 * </ul>
 * Not reproduced: Go 1.19 accepts two groups of the same name, RE2/J refuses them
 * ({@code duplicate capture group name}); groups nested deeper than 998 levels are refused even when they
 * are non-capturing, which Go flattens.
 *
 * <p>Immutable and thread-safe (RE2/J's {@code Pattern} is; a {@code Matcher} is made per call).
 */
public final class GoRegexp {
    /** Go's {@code maxHeight} of a regexp syntax tree (the anchoring adds two levels). */
    static final int MAX_NESTING = 1000 - 2;
    /** Go's bound on nested counted repetition ({@code repeatIsValid(re, 1000)}). */
    static final int MAX_REPEAT_PRODUCT = 1000;
    /** Go's {@code maxSize}: 128 MiB of 40-byte instructions. */
    static final long MAX_SIZE = (128L << 20) / 40;
    /** Empty-width steps (RE2/J matcher recursion frames) allowed in one regex; see the class comment. */
    public static final int MAX_EMPTY_STEPS = 1000;

    private final Pattern pattern;

    private GoRegexp(Pattern pattern) {
        this.pattern = pattern;
    }

    /**
     * Compiles {@code ^(?:re)$}.
     *
     * @throws SyntaxException with Go's error text when Prometheus would refuse {@code re}, or when it is
     *         over {@link #MAX_EMPTY_STEPS}
     */
    public static GoRegexp compileAnchored(String re) {
        String anchored = "^(?:" + re + ")$";
        Limits.check(re, anchored);
        try {
            return new GoRegexp(Pattern.compile(anchored));
        } catch (PatternSyntaxException e) {
            if ("stack underflow".equals(e.getPattern())) {
                // RE2/J's report of a ')' without '(' (Go: "unexpected )").
                throw SyntaxException.of("unexpected )", anchored);
            }
            // RE2/J words its errors as Go does: "error parsing regexp: <code>: `<expr>`".
            throw new SyntaxException(e.getMessage());
        }
    }

    /** Whether the whole of {@code value} matches. */
    public boolean matches(String value) {
        return pattern.matcher(value).matches();
    }

    /**
     * {@code label_replace}'s step: null when {@code value} does not match, else {@code template}
     * expanded as Go's {@code Regexp.ExpandString} does: {@code $$} is {@code $}; {@code $name} takes the
     * longest run of letters, digits and {@code _} as the name, so {@code $1x} names the group
     * {@code 1x}; {@code ${name}} delimits it; a name of ASCII digits without a leading zero is a group
     * number; an unknown or non-participating group expands to nothing; a {@code $} not followed by a
     * valid name is kept as text.
     */
    public String expandIfMatches(String template, String value) {
        Matcher m = pattern.matcher(value);
        if (!m.matches()) {
            return null;
        }
        StringBuilder out = new StringBuilder(template.length() + value.length());
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && template.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            boolean brace = i + 1 < n && template.charAt(i + 1) == '{';
            int start = brace ? i + 2 : i + 1;
            int end = start;
            while (end < n) {
                int cp = template.codePointAt(end);
                if (!Character.isLetterOrDigit(cp) && cp != '_') {
                    break;
                }
                end += Character.charCount(cp);
            }
            if (end == start || (brace && (end >= n || template.charAt(end) != '}'))) {
                out.append('$'); // malformed: the '$' is text, the rest is read on
                i++;
                continue;
            }
            String group = group(m, template.substring(start, end));
            if (group != null) {
                out.append(group);
            }
            i = brace ? end + 1 : end;
        }
        return out.toString();
    }

    /** The text of group {@code name} (a number as Go reads one, else a group name), or null. */
    private String group(Matcher m, String name) {
        int num = 0;
        for (int k = 0; k < name.length() && num >= 0; k++) {
            char d = name.charAt(k);
            num = d < '0' || d > '9' || num >= 100_000_000 ? -1 : num * 10 + (d - '0');
        }
        if (name.length() > 1 && name.charAt(0) == '0') {
            num = -1;
        }
        if (num >= 0) {
            return num <= m.groupCount() ? m.group(num) : null;
        }
        Map<String, Integer> named = pattern.namedGroups();
        Integer idx = named.get(name);
        return idx == null ? null : m.group(idx);
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }

    /** A regex Prometheus would refuse; the message is Go's error text ({@code error parsing regexp: …}). */
    public static final class SyntaxException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }

        static SyntaxException of(String code, String expr) {
            return new SyntaxException("error parsing regexp: " + code + ": `" + expr + "`");
        }
    }

    /**
     * One pass over the regex text estimating, per group, what Go's parser measures (nesting, counted
     * repetition products, program size) and the empty-width steps of RE2/J's program. Malformed text is
     * not diagnosed here: the scan stops or skips, and RE2/J reports it with Go's words.
     */
    private static final class Limits {
        private long[] size = new long[16];
        private long[] steps = new long[16];
        private int[] product = new int[16];
        private boolean[] capturing = new boolean[16];
        private int depth;
        private boolean hasLast;
        private long lastSize;
        private long lastSteps;
        private int lastProduct;

        static void check(String re, String anchored) {
            Limits l = new Limits();
            l.scan(re, anchored);
            if (l.size[0] + 4 > MAX_SIZE) {
                throw SyntaxException.of("regexp/syntax: internal error", anchored);
            }
            if (l.steps[0] + 2 > MAX_EMPTY_STEPS) {
                throw SyntaxException.of("expression has more than " + MAX_EMPTY_STEPS
                        + " alternatives, optional or repeated parts", anchored);
            }
        }

        private void scan(String re, String anchored) {
            int n = re.length();
            int i = 0;
            while (i < n) {
                char c = re.charAt(i);
                switch (c) {
                    case '\\':
                        i = escape(re, i);
                        if (i < 0) {
                            return;
                        }
                        continue;
                    case '[': {
                        int end = classEnd(re, i);
                        if (end < 0) {
                            return;
                        }
                        atom(1, 0, 0);
                        i = end + 1;
                        continue;
                    }
                    case '(': {
                        boolean cap = true;
                        if (re.startsWith("(?", i)) {
                            if (re.startsWith("(?P<", i)) {
                                int gt = re.indexOf('>', i);
                                if (gt < 0) {
                                    return;
                                }
                                i = gt + 1;
                            } else if (re.startsWith("(?<", i)) {
                                throw SyntaxException.of("invalid or unsupported Perl syntax", "(?<");
                            } else {
                                int k = i + 2;
                                while (k < n && "imsU-".indexOf(re.charAt(k)) >= 0) {
                                    k++;
                                }
                                if (k >= n || (re.charAt(k) != ')' && re.charAt(k) != ':')) {
                                    return; // lookaround, comments, atomic groups: RE2/J refuses them
                                }
                                if (re.charAt(k) == ')') { // flags only: no group
                                    i = k + 1;
                                    continue;
                                }
                                i = k + 1;
                                cap = false;
                            }
                        } else {
                            i++;
                        }
                        push(cap, anchored);
                        continue;
                    }
                    case ')':
                        if (depth == 0) {
                            return;
                        }
                        pop();
                        i++;
                        continue;
                    case '|':
                        size[depth]++;
                        steps[depth] += 2; // an Alt, and a Nop when a branch is empty
                        hasLast = false;
                        i++;
                        continue;
                    case '^':
                    case '$':
                        atom(1, 1, 0);
                        i++;
                        continue;
                    case '*':
                    case '+':
                    case '?':
                        if (hasLast) {
                            grow(lastSize + 1, lastSteps + 1, lastProduct);
                        }
                        i += i + 1 < n && re.charAt(i + 1) == '?' ? 2 : 1; // non-greedy suffix
                        continue;
                    case '{': {
                        int end = repeat(re, i, anchored);
                        if (end < 0) {
                            atom(1, 0, 0); // not a repeat: a literal '{', as in Go
                            i++;
                        } else {
                            i = end + 1 < n && re.charAt(end + 1) == '?' ? end + 2 : end + 1;
                        }
                        continue;
                    }
                    default:
                        atom(1, 0, 0);
                        i += Character.charCount(re.codePointAt(i));
                }
            }
        }

        /** Handles the escape at {@code i}; returns the index after it, or -1 to stop scanning. */
        private int escape(String re, int i) {
            int n = re.length();
            if (i + 1 >= n) {
                return -1;
            }
            char e = re.charAt(i + 1);
            switch (e) {
                case 'Q': {
                    int end = re.indexOf("\\E", i + 2);
                    int stop = end < 0 ? n : end;
                    for (int k = i + 2; k < stop; k += Character.charCount(re.codePointAt(k))) {
                        atom(1, 0, 0);
                    }
                    return end < 0 ? n : end + 2;
                }
                case 'p':
                case 'P':
                case 'x': {
                    if (i + 2 < n && re.charAt(i + 2) == '{') {
                        int close = re.indexOf('}', i + 3);
                        if (close < 0) {
                            return -1;
                        }
                        atom(1, 0, 0);
                        return close + 1;
                    }
                    atom(1, 0, 0);
                    return Math.min(n, i + (e == 'x' ? 4 : 3));
                }
                case 'A':
                case 'z':
                case 'b':
                case 'B':
                    atom(1, 1, 0);
                    return i + 2;
                default:
                    atom(1, 0, 0);
                    return i + 1 + Character.charCount(re.codePointAt(i + 1));
            }
        }

        /** The index of the ']' closing the class opened at {@code i}, or -1. */
        private static int classEnd(String re, int i) {
            int n = re.length();
            int k = i + 1;
            if (k < n && re.charAt(k) == '^') {
                k++;
            }
            if (k < n && re.charAt(k) == ']') {
                k++; // a ']' first in the class is a member
            }
            while (k < n) {
                char c = re.charAt(k);
                if (c == ']') {
                    return k;
                }
                if (c == '\\') {
                    k += 2;
                } else if (c == '[' && k + 1 < n && re.charAt(k + 1) == ':') {
                    int close = re.indexOf(":]", k + 2);
                    k = close < 0 ? k + 1 : close + 2;
                } else {
                    k++;
                }
            }
            return -1;
        }

        /**
         * A counted repetition {@code {lo}}, {@code {lo,}} or {@code {lo,hi}} at {@code i} applied to the
         * last atom; returns the index of its '}', or -1 when the text is not one (then '{' is a literal).
         */
        private int repeat(String re, int i, String anchored) {
            int n = re.length();
            int k = i + 1;
            int lo = 0;
            int digits = 0;
            while (k < n && re.charAt(k) >= '0' && re.charAt(k) <= '9') {
                lo = Math.min(lo * 10 + (re.charAt(k) - '0'), 1_000_000);
                k++;
                digits++;
            }
            if (digits == 0 || k >= n) {
                return -1;
            }
            int hi = lo;
            if (re.charAt(k) == ',') {
                k++;
                if (k < n && re.charAt(k) == '}') {
                    hi = -1;
                } else {
                    hi = 0;
                    digits = 0;
                    while (k < n && re.charAt(k) >= '0' && re.charAt(k) <= '9') {
                        hi = Math.min(hi * 10 + (re.charAt(k) - '0'), 1_000_000);
                        k++;
                        digits++;
                    }
                    if (digits == 0) {
                        return -1;
                    }
                }
            }
            if (k >= n || re.charAt(k) != '}') {
                return -1;
            }
            if (!hasLast || lo > MAX_REPEAT_PRODUCT || hi > MAX_REPEAT_PRODUCT || (hi >= 0 && hi < lo)) {
                return k; // RE2/J reports the missing argument or the bad count
            }
            int m = hi < 0 ? lo : hi;
            long p = m == 0 ? 0 : (long) m * Math.max(1, lastProduct);
            if ((lo >= 2 || hi >= 2) && p > MAX_REPEAT_PRODUCT) {
                throw SyntaxException.of("invalid repeat count", re.substring(i, k + 1));
            }
            long copies = hi < 0 ? Math.max(lo, 1) : hi;
            long newSize = hi < 0 ? (lo == 0 ? 2 + lastSize : 1 + lo * lastSize) : hi * lastSize + (hi - lo);
            long newSteps = lastSteps * copies + (hi < 0 ? 1 : hi - lo);
            grow(newSize, newSteps, (int) Math.min(p, Integer.MAX_VALUE));
            if (size[depth] > MAX_SIZE) {
                throw SyntaxException.of("regexp/syntax: internal error", anchored);
            }
            return k;
        }

        private void atom(long s, long e, int p) {
            size[depth] += s;
            steps[depth] += e;
            product[depth] = Math.max(product[depth], p);
            hasLast = true;
            lastSize = s;
            lastSteps = e;
            lastProduct = p;
        }

        /** Replaces the last atom by its repetition. */
        private void grow(long s, long e, int p) {
            size[depth] += s - lastSize;
            steps[depth] += e - lastSteps;
            product[depth] = Math.max(product[depth], p);
            lastSize = s;
            lastSteps = e;
            lastProduct = p;
        }

        private void push(boolean cap, String anchored) {
            if (depth + 1 > MAX_NESTING) {
                throw SyntaxException.of("expression nests too deeply", anchored);
            }
            depth++;
            if (depth == size.length) {
                size = java.util.Arrays.copyOf(size, depth * 2);
                steps = java.util.Arrays.copyOf(steps, depth * 2);
                product = java.util.Arrays.copyOf(product, depth * 2);
                capturing = java.util.Arrays.copyOf(capturing, depth * 2);
            }
            size[depth] = 0;
            steps[depth] = 0;
            product[depth] = 0;
            capturing[depth] = cap;
            hasLast = false;
        }

        private void pop() {
            int extra = capturing[depth] ? 2 : 0;
            long s = size[depth] + extra;
            long e = steps[depth] + extra;
            int p = product[depth];
            depth--;
            atom(s, e, p);
        }
    }
}
