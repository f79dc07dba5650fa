package dev.kedaotel.server;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LibraryDefaultsTest {
    @Test
    void fillsInUnsetProperties() {
        Properties p = new Properties();
        LibraryDefaults.apply(p);
        assertEquals("16", p.getProperty("org.eclipse.jetty.util.referencesPerCacheLine"));
        assertEquals(LibraryDefaults.DEFAULTS.size(), p.size());
    }

    @Test
    void aValueGivenOnTheCommandLineWins() {
        Properties p = new Properties();
        p.setProperty("java.locale.providers", "CLDR");
        p.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "8");
        LibraryDefaults.apply(p);
        assertEquals("CLDR", p.getProperty("java.locale.providers"));
        assertEquals("8", p.getProperty("org.eclipse.jetty.util.referencesPerCacheLine"));
    }

    @Test
    void compatLocaleDataOnlyBeforeJava21() {
        assertEquals("COMPAT", LibraryDefaults.defaults(17).get("java.locale.providers"));
        assertFalse(LibraryDefaults.defaults(21).containsKey("java.locale.providers"));
    }
}
