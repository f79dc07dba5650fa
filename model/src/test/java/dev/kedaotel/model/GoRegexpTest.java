package dev.kedaotel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Go 1.19's regexp limits and {@code Regexp.ExpandString}, as Prometheus 2.42 answers (checked against it). */
class GoRegexpTest {

    @Test
    void goLimitsWithGosErrors() {
        String deep = "(".repeat(1001) + "a" + ")".repeat(1001);
        assertError(deep, "error parsing regexp: expression nests too deeply: `^(?:" + deep + ")$`");
        assertError("(a{100}){100}", "error parsing regexp: invalid repeat count: `{100}`");
        assertError("((a{1000}){1000}){1000}", "error parsing regexp: invalid repeat count: `{1000}`");
        assertError("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`");
        String large = "a{1000}".repeat(3400);
        assertError(large, "error parsing regexp: regexp/syntax: internal error: `^(?:" + large + ")$`");
        GoRegexp.compileAnchored("(?:(?:a{2}){5}){100}");
        GoRegexp.compileAnchored("((a{10}){0}b{1000}){1}");
        GoRegexp.compileAnchored("(?:".repeat(990) + "a" + ")".repeat(990));
    }

    @Test
    void matcherRecursionIsBoundedOnASmallStack() throws InterruptedException {
        assertTrue(GoRegexp.compileAnchored("a*".repeat(490)).matches("a".repeat(1000)));
        String tooMany = "a*".repeat(1000);
        assertError(tooMany, "error parsing regexp: expression has more than 1000 alternatives, optional or repeated"
                + " parts: `^(?:" + tooMany + ")$`");
        // The worst accepted shapes, matched on a 512 KiB stack (the JVM's smallest default).
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                assertTrue(GoRegexp.compileAnchored("a?".repeat(495)).matches("a".repeat(495)));
                assertTrue(GoRegexp.compileAnchored("(a)*".repeat(160)).matches("a"));
                String nested = "(".repeat(320) + "a|" + ")*".repeat(320);
                assertTrue(GoRegexp.compileAnchored(nested).matches("aa"));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 512 * 1024);
        t.start();
        t.join();
        assertNull(failure.get());
    }

    @Test
    void expandLikeGo() {
        GoRegexp re = GoRegexp.compileAnchored("(?P<name>[a-z]+)-(\\d+)(x)?");
        // Values checked against Prometheus 2.42's label_replace.
        assertEquals("abc|abc|17||", re.expandIfMatches("$name|${name}|$2|$3|$1x", "abc-17"));
        assertEquals("17x|$|$|$}|${1", re.expandIfMatches("${2}x|$$|$|$}|${1", "abc-17"));
        assertEquals("|abc-17x|x", re.expandIfMatches("$01|$0|$3", "abc-17x"));
        assertEquals("|", re.expandIfMatches("$9|$nope", "abc-17"));
        assertNull(re.expandIfMatches("$1", "ABC-17"));
        assertNull(re.expandIfMatches("$1", "abc-17y"), "anchored at both ends");
    }

    private static void assertError(String re, String message) {
        GoRegexp.SyntaxException e = assertThrows(GoRegexp.SyntaxException.class, () -> GoRegexp.compileAnchored(re));
        assertEquals(message, e.getMessage());
    }
}
