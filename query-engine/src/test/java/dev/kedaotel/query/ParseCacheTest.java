package dev.kedaotel.query;

import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.parser.Parser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ParseCacheTest {
    @Test
    void keepsAtMostCapacityAndDropsTheLeastRecentlyUsed() throws Exception {
        ParseCache cache = new ParseCache(2);
        Expr a = Parser.parse("a");
        Expr b = Parser.parse("b");
        Expr c = Parser.parse("c");
        cache.put("a", a);
        cache.put("b", b);
        assertSame(a, cache.get("a")); // "a" is now more recent than "b"
        cache.put("c", c);
        assertEquals(2, cache.size());
        assertNull(cache.get("b"));
        assertSame(a, cache.get("a"));
        assertSame(c, cache.get("c"));
    }

    @Test
    void capacityZeroKeepsNothing() throws Exception {
        ParseCache cache = new ParseCache(0);
        cache.put("a", Parser.parse("a"));
        assertNull(cache.get("a"));
    }
}
