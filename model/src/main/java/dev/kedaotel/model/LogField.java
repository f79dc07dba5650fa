package dev.kedaotel.model;

/**
 * A named value in a log call, so a log line can carry structured fields without a logging framework:
 * pass it as a {@code System.Logger} parameter, e.g.
 * {@code LOG.log(Level.INFO, "ScaledObject {0}/{1} appeared", LogField.of("namespace", ns), LogField.of("name", n))}.
 * The text format substitutes its value ({@link #toString()}) into the message as usual; the JSON format
 * (the server's {@code Logging}) also writes each field as a key of the line's object.
 *
 * @param key   the JSON key; lower camel case, not one of the keys every line has (time, level, logger, message,
 *              thread, error, stacktrace)
 * @param value its value, written with {@link String#valueOf(Object)}
 */
public record LogField(String key, Object value) {
    public static LogField of(String key, Object value) {
        return new LogField(key, value);
    }

    /** The value alone: what a message's {@code {0}} placeholder shows. */
    @Override
    public String toString() {
        return String.valueOf(value);
    }
}
