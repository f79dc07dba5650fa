package dev.kedaotel.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the JDK's System.Logger (java.util.logging underneath) to one line per record on stderr:
 * {@code 2026-11-22T12:00:00.123Z INFO  receiver  message}. No logging framework: the JDK's is enough
 * for a single service writing to a container log.
 */
public final class Logging {
    /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");
    private static final Logger GRPC = Logger.getLogger("io.grpc");
    private Logging() {
    }

    public static void configure(Level level) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler h = new ConsoleHandler();
        h.setLevel(level);
        h.setFormatter(new OneLineFormatter());
        root.addHandler(h);
        root.setLevel(level);
        // Jetty announces every start and stop at INFO; our own "ready" line says what matters.
        JETTY.setLevel(level.intValue() < Level.WARNING.intValue() ? Level.WARNING : level);
        // gRPC's and Netty's internals are chatty at FINE; keep them at INFO unless asked for more.
        if (level.intValue() < Level.INFO.intValue()) {
            GRPC.setLevel(Level.INFO);
        }
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
                StringWriter sw = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(sw));
                sb.append(sw);
            }
            return sb.toString();
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
    }
}
