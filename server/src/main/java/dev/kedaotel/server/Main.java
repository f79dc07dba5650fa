package dev.kedaotel.server;

import dev.kedaotel.server.demo.Demo;
import dev.kedaotel.server.simulate.SimulateCommand;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar keda-otel-scaler.jar [--flag=value ...]}: start, serve until SIGTERM/SIGINT, stop gracefully;
 * {@code java -jar keda-otel-scaler.jar simulate ...}: the offline scaling simulator ({@link SimulateCommand}).
 * {@code --help} and {@code --version} print and exit 0 before anything is configured or started.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(SimulateCommand.NAME)) { // offline: no server, no JVM re-exec
            int status = SimulateCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
            if (status != 0) {
                System.exit(status);
            }
            return;
        }
        LibraryDefaults.apply(System.getProperties()); // before anything loads Jetty or Netty
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                System.out.print(Config.helpText());
                return;
            }
            if (a.equals("--version")) {
                String revision = KedaOtelScaler.revision();
                System.out.println("keda-otel-scaler " + KedaOtelScaler.version() + (revision.isEmpty() ? "" : " (" + revision + ")"));
                return;
            }
        }
        Config config;
        try {
            config = Config.load(args, System.getenv());
        } catch (Config.ConfigException e) {
            // In the format asked for, if that much can be read: a crash-looping pod's last line must reach the pipeline.
            Logging.useFormat(Logging.Format.requested(args, System.getenv()));
            Logging.direct(java.util.logging.Level.SEVERE, "keda-otel-scaler: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Plain `java -jar` becomes the launcher's JVM (same PID) before anything starts; see TunedJvm.
        TunedJvm.reexecIfUntuned(args);
        Logging.configure(config.logLevel(), config.logFormat());
        if (!config.get(Setting.NO_BANNER)) {
            String banner = "keda-otel-scaler " + KedaOtelScaler.version() + " — KEDA external scaler fed by OpenTelemetry metrics (--help for settings)";
            if (config.logFormat() == Logging.Format.JSON) {
                Logging.direct(java.util.logging.Level.INFO, banner); // a log pipeline reads stdout too: keep every line JSON
            } else {
                System.out.println(banner);
            }
        }
        KedaOtelScaler app;
        try {
            app = KedaOtelScaler.start(config);
        } catch (java.io.IOException e) {
            Logging.direct(java.util.logging.Level.SEVERE, "keda-otel-scaler: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        } catch (Config.ConfigException e) {
            // Settings that parse but name unusable files or addresses (e.g. an expired TLS certificate).
            Logging.direct(java.util.logging.Level.SEVERE, "keda-otel-scaler: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        MemoryGuard.install(app::markNotReady);
        Demo demo = null;
        if (config.get(Setting.DEMO)) {
            demo = new Demo(app.otlpPort(), app.scalerPort(), System.out);
            demo.start();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        final Demo runningDemo = demo;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // java.util.logging resets its handlers in its own shutdown hook, so say this directly.
            Logging.direct(java.util.logging.Level.INFO, "keda-otel-scaler: shutting down (in-flight requests get up to 5 s)");
            if (runningDemo != null) {
                runningDemo.close();
            }
            app.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
