package dev.kedaotel.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's settings table lists every setting (its variable and flag), so a setting added to
 * {@link Setting} without documentation fails the build. The meanings are not compared word for word:
 * the README may say more, or less, than {@code --help}.
 */
class ReadmeSettingsTest {
    @Test
    void readmeHasARowForEverySetting() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        for (Setting<?> s : Setting.values()) {
            String row = "| `" + s.env() + "` | `" + s.flag() + "` |";
            assertTrue(text.contains(row), "README.md's settings table has no row starting " + row);
        }
    }
}
