package dev.kedaotel.scaler;

import java.util.Locale;

/** kedify's {@code operationOverTime} values: how each series' points inside the window become one value. */
public enum OperationOverTime {
    LAST_ONE("last_one"),
    RATE("rate"),
    COUNT("count"),
    AVG("avg"),
    MIN("min"),
    MAX("max");

    private final String wireName;

    OperationOverTime(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in trigger metadata and by the kedify query compiler. */
    public String wireName() {
        return wireName;
    }

    /** The operation named {@code text} (case-insensitive, trimmed), or null if it names none. */
    public static OperationOverTime fromWireName(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (OperationOverTime op : values()) {
            if (op.wireName.equals(wanted)) {
                return op;
            }
        }
        return null;
    }
}
