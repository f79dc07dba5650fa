package dev.kedaotel.server;

import dev.kedaotel.model.LogField;
import dev.kedaotel.server.http.JsonWriter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the JDK's System.Logger (java.util.logging underneath; Jetty's slf4j and gRPC's loggers too) to
 * stderr, one line per record, in one of two {@linkplain Format formats}:
 * <ul>
 *   <li>text: {@code 2026-11-22T12:00:00.123Z INFO  receiver  message}, a stack trace on the lines after;</li>
 *   <li>json: one object per line for Kubernetes log pipelines (Fluent Bit, Vector, Loki, …) —
 *       {@code time} (RFC 3339 UTC, milliseconds), {@code level} (zap's names: debug, info, warn, error),
 *       {@code logger}, {@code message}, {@code thread}; for an exception {@code error} (its
 *       {@code toString()}) and {@code stacktrace} (the whole trace, causes included, as one string, so a
 *       trace is never split into lines a pipeline reads as separate records); and every {@link LogField}
 *       passed as a parameter as a key of its own (e.g. {@code namespace}, {@code name}).</li>
 * </ul>
 * No logging framework: the JDK's is enough for a single service writing to a container log. The JSON is
 * written with the server's {@link JsonWriter} (the one every API answer uses, Go's escaping from
 * {@code GoJson}); a log line is a handful of strings, so a JSON library would buy nothing here.
 *
 * <p>Threads: {@link ConsoleHandler} formats and writes on the logging thread, under its own lock, so
 * {@code thread} is that thread's name (java.util.logging records only a thread id). {@link #configure}
 * runs once at startup, before any other thread logs; {@link #direct} may run in a shutdown hook, after
 * java.util.logging's own hook removed the handlers, which is why it writes itself.
 */
public final class Logging {
    /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");
    private static final Logger GRPC = Logger.getLogger("io.grpc");
    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The formatter {@link #configure} installed; text until then. */
    private static volatile Formatter formatter = new OneLineFormatter();

    private Logging() {
    }

    /** LOG_FORMAT: how each record is written. */
    public enum Format {
        TEXT, JSON;

        /** LOG_FORMAT's text, or zap's {@code --zap-encoder} value ({@code console} is text). */
        static Format parse(String raw) {
            switch (raw.toLowerCase(Locale.ROOT)) {
                case "text": case "console": return TEXT;
                case "json": return JSON;
                default: throw new IllegalArgumentException("must be text or json (kedify's --zap-encoder: console or json)");
            }
        }

        /**
         * The format {@code LOG_FORMAT}, {@code --log-format} or {@code --zap-encoder} ask for, read leniently
         * (text when none parses): for the one line {@link Main} writes when the configuration is invalid.
         */
        static Format requested(String[] args, Map<String, String> env) {
            String raw = env.getOrDefault(Setting.LOG_FORMAT.env(), "");
            for (int i = 0; i < args.length; i++) {
                for (String flag : List.of(Setting.LOG_FORMAT.flag(), "--zap-encoder")) {
                    if (args[i].startsWith(flag + "=")) {
                        raw = args[i].substring(flag.length() + 1);
                    } else if (args[i].equals(flag) && i + 1 < args.length) {
                        raw = args[i + 1];
                    }
                }
            }
            try {
                return parse(raw.trim());
            } catch (IllegalArgumentException unreadable) {
                return TEXT;
            }
        }
    }

    public static void configure(Level level, Format format) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        useFormat(format);
        ConsoleHandler h = new ConsoleHandler();
        h.setLevel(level);
        h.setFormatter(formatter);
        root.addHandler(h);
        root.setLevel(level);
        // Jetty announces every start and stop at INFO; our own "ready" line says what matters.
        JETTY.setLevel(level.intValue() < Level.WARNING.intValue() ? Level.WARNING : level);
        // gRPC's and Netty's internals are chatty at FINE; keep them at INFO unless asked for more.
        if (level.intValue() < Level.INFO.intValue()) {
            GRPC.setLevel(Level.INFO);
        }
    }

    /** Sets the format {@link #direct} writes in (and the next {@link #configure} installs). */
    static void useFormat(Format format) {
        formatter = format == Format.JSON ? new JsonLineFormatter() : new OneLineFormatter();
    }

    /**
     * Writes one record to stderr in the configured format, bypassing java.util.logging: for what
     * {@link Main} says where the handlers may be gone (a shutdown hook) or must not filter it.
     */
    public static void direct(Level level, String message) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName(Main.class.getName());
        System.err.print(formatter.format(r));
        System.err.flush();
    }

    private static String levelName(Level l) {
        if (l.intValue() >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (l.intValue() >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (l.intValue() >= Level.INFO.intValue()) {
            return "INFO";
        }
        return "DEBUG";
    }

    private static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }

    static final class OneLineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(160);
            sb.append(Instant.ofEpochMilli(r.getMillis())).append(' ');
            sb.append(String.format("%-5s", levelName(r.getLevel()))).append(' ');
            String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
            sb.append(logger.substring(logger.lastIndexOf('.') + 1)).append("  ");
            sb.append(formatMessage(r)).append('\n');
            if (r.getThrown() != null) {
                sb.append(stackTrace(r.getThrown()));
            }
            return sb.toString();
        }
    }

    static final class JsonLineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(256);
            JsonWriter w = new JsonWriter(sb).beginObject();
            w.name("time").value(RFC3339_MILLIS.format(r.getInstant()));
            w.name("level").value(levelName(r.getLevel()).toLowerCase(Locale.ROOT));
            w.name("logger").value(r.getLoggerName() == null ? "" : r.getLoggerName());
            w.name("message").value(formatMessage(r));
            w.name("thread").value(Thread.currentThread().getName());
            Object[] params = r.getParameters();
            if (params != null) {
                for (Object p : params) {
                    if (p instanceof LogField f) {
                        w.name(f.key()).value(String.valueOf(f.value()));
                    }
                }
            }
            Throwable t = r.getThrown();
            if (t != null) {
                w.name("error").value(t.toString());
                w.name("stacktrace").value(stackTrace(t));
            }
            w.endObject();
            return sb.append('\n').toString();
        }
    }
}
