package dev.kedaotel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The regex fast paths (literal, literal.*, a|b|c) answer exactly like the anchored Go regex would. */
class LabelMatcherTest {
    private static final List<String> VALUES = List.of("", "pod", "pod-1", "pod-10", "pod-2", "pod-1\nx", "a", "b", "ab",
            "a|b", "xpod-1", "POD-1", "pod.1", "pod-", "10.0.0.1", "10x0y0z1", "a\\", "\n");

    @Test
    void fastPathsAgreeWithTheRegexEngine() {
        for (String regex : List.of("pod-1.*", ".*", "pod-1", "", "a|b", "a|b|", "pod|pod-1|pod-10", "pod.1", "pod-[12].*",
                "(a|b)", "a||b", "pod-.*x", "p.*", "10\\.0\\.0\\.1", "10\\.0\\.0\\.1|a", "a\\|b", "pod\\.*", "a\\\\",
                "pod-1\\.*", "\\.*")) {
            // A group around the regex defeats every fast path, so this is RE2/J's answer.
            GoRegexp p = GoRegexp.compileAnchored("(?:" + regex + ")");
            LabelMatcher m = re(regex);
            LabelMatcher n = LabelMatcher.of(LabelMatcher.Type.NRE, "l", regex);
            for (String v : VALUES) {
                boolean want = p.matches(v);
                assertEquals(want, m.matches(v), regex + " =~ " + v);
                assertEquals(!want, n.matches(v), regex + " !~ " + v);
            }
        }
    }

    @Test
    void dotDoesNotMatchNewlineAsInPrometheus242() {
        assertFalse(re(".*").matches("x\ny"));
        assertFalse(re("x.y").matches("x\ny"));
        assertTrue(re("(?s)x.y").matches("x\ny"));
        assertTrue(re("x\n.*").matches("x\ny"));
    }

    @Test
    void catastrophicBacktrackingRegexRunsInLinearTime() {
        // java.util.regex needs ~4^(n/2) steps here; at 10,000 characters it would never finish.
        LabelMatcher m = re("(.*a){15}b");
        String as = "a".repeat(10_000);
        assertFalse(m.matches(as));
        assertTrue(m.matches(as + "b"));
        assertFalse(re("(a+)+c").matches(as));
        assertTrue(LabelMatcher.of(LabelMatcher.Type.NRE, "l", "(x+x+)+y").matches("x".repeat(10_000)));
    }

    @Test
    void goSyntax() {
        assertTrue(re("\\pL+").matches("Grüße"));
        assertTrue(re("\\p{Greek}").matches("λ"));
        assertTrue(re("(?i)POD-.*").matches("pod-1"));
        assertTrue(re("(?P<n>a)b").matches("ab"));
        assertTrue(re("[[:alpha:]]+").matches("ab"));
        assertTrue(re("x\\Q.*\\E").matches("x.*"));
    }

    @Test
    void javaOnlySyntaxIsRejectedWithGosError() {
        assertRejected("a*+", "error parsing regexp: invalid nested repetition operator: `*+`");
        assertRejected("(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
        assertRejected("(?<n>a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?<`");
        assertRejected("(a)\\1", "error parsing regexp: invalid escape sequence: `\\1`");
        assertRejected("(a", "error parsing regexp: missing closing ): `^(?:(a)$`");
        assertRejected("[a", "error parsing regexp: missing closing ]: `[a)$`");
    }

    private static LabelMatcher re(String regex) {
        return LabelMatcher.of(LabelMatcher.Type.RE, "l", regex);
    }

    private static void assertRejected(String re, String goError) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> re(re));
        assertInstanceOf(GoRegexp.SyntaxException.class, e.getCause());
        assertEquals(goError, e.getCause().getMessage());
    }
}
