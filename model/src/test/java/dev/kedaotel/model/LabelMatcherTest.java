package dev.kedaotel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The regex fast paths (literal, literal.*, a|b|c) answer exactly like the anchored regex would. */
class LabelMatcherTest {
    private static final List<String> VALUES = List.of("", "pod", "pod-1", "pod-10", "pod-2", "pod-1\nx", "a", "b", "ab",
            "a|b", "xpod-1", "POD-1", "pod.1", "pod-");

    @Test
    void fastPathsAgreeWithTheRegexEngine() {
        for (String re : List.of("pod-1.*", ".*", "pod-1", "", "a|b", "a|b|", "pod|pod-1|pod-10", "pod.1", "pod-[12].*",
                "(a|b)", "a||b", "pod-.*x", "p.*")) {
            Pattern p = Pattern.compile("(?s)^(?:" + re + ")$");
            LabelMatcher m = LabelMatcher.of(LabelMatcher.Type.RE, "l", re);
            LabelMatcher n = LabelMatcher.of(LabelMatcher.Type.NRE, "l", re);
            for (String v : VALUES) {
                boolean want = p.matcher(v).matches();
                assertEquals(want, m.matches(v), re + " =~ " + v);
                assertEquals(!want, n.matches(v), re + " !~ " + v);
            }
        }
    }
}
