package dev.kedaotel.server.simulate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code keda-otel-scaler simulate}: replays a metric history through KEDA and the HPA for one ScaledObject
 * and prints the replica count over time (table on stdout, optional SVG chart), so {@code targetValue} and the
 * HPA behavior can be tuned before deploying. Reads files, computes, writes; no server, no threads, no clock.
 * Bad input prints one line naming the file, line and field to stderr and returns exit status 2.
 */
public final class SimulateCommand {
    /** The subcommand's name, the first argument of the jar. */
    public static final String NAME = "simulate";

    static final String USAGE = String.join("\n",
            "usage: keda-otel-scaler simulate --scaled-object so.yaml --history h.json|h.csv [options]",
            "",
            "Replays a recorded metric through KEDA (activation, scale to and from zero, fallback) and the",
            "HPA v2 algorithm (tolerance, stabilization windows, scaling policies, selectPolicy) and prints",
            "the replica count over time. Pods are taken as ready the moment they are asked for.",
            "",
            "  --scaled-object FILE     KEDA ScaledObject YAML (keda.sh/v1alpha1)",
            "  --history [TRIGGER=]FILE metric history: /api/v1/query_range JSON or CSV timestamp,value",
            "                           (RFC 3339 or unix seconds); once per trigger when there are several",
            "  --series LABEL=VALUE,... pick one series of a query_range answer holding several",
            "  --svg FILE               also write the chart as SVG",
            "  --from TIME, --to TIME   replay window (RFC 3339 or unix seconds; default: the history's)",
            "  --step SECONDS           table row interval (default 15; rows where something happens are always shown)",
            "  --current-replicas N     replicas at the start (default: minReplicaCount)",
            "  --missing-value V        a missing point reads as V (the scaler's METRIC_STORE_VALUE_IF_NOT_FOUND)",
            "                           instead of an error (default: error, which counts toward fallback)",
            "");

    private SimulateCommand() {
    }

    /** Runs the subcommand with {@code args} (after {@code simulate}); returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Options o = Options.parse(args);
            if (o.help) {
                out.print(USAGE);
                return 0;
            }
            ScaledObjectSpec spec = ScaledObjectParser.parse(o.scaledObject, read(o.scaledObject));
            List<MetricHistory> histories = histories(spec, o);
            long from = o.from.isPresent() ? HistoryReader.timestamp("--from: ", o.from.get())
                    : histories.stream().mapToLong(MetricHistory::firstMs).min().getAsLong();
            long to = o.to.isPresent() ? HistoryReader.timestamp("--to: ", o.to.get())
                    : histories.stream().mapToLong(MetricHistory::lastMs).max().getAsLong();
            if (to < from) {
                throw new BadInputException("--to is before --from");
            }
            if (to - from > 31L * 24 * 3600 * 1000) {
                throw new BadInputException("the replay window is longer than 31 days; narrow it with --from/--to");
            }
            int initial = o.currentReplicas.orElse(spec.minReplicaCount());
            if (initial > spec.maxReplicaCount()) {
                throw new BadInputException("--current-replicas " + initial + " is above maxReplicaCount " + spec.maxReplicaCount());
            }
            List<Row> rows = new Replay(spec, histories, o.missingValue).run(from, to, initial);
            out.println("# ScaledObject " + spec.name() + ": replicas " + spec.minReplicaCount() + ".." + spec.maxReplicaCount()
                    + ", KEDA polls every " + spec.pollingIntervalSeconds() + " s, cooldown " + spec.cooldownSeconds()
                    + " s, HPA syncs every " + Replay.HPA_SYNC_SECONDS + " s; pods ready at once");
            TableWriter.write(out, spec, rows, o.step);
            if (o.svg.isPresent()) {
                try {
                    Files.writeString(Path.of(o.svg.get()), SvgChart.render(spec, rows), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new BadInputException(o.svg.get() + ": cannot write the chart: " + e.getMessage());
                }
            }
            return 0;
        } catch (BadInputException e) {
            err.println("keda-otel-scaler simulate: " + e.getMessage());
            return 2;
        }
    }

    private static List<MetricHistory> histories(ScaledObjectSpec spec, Options o) throws BadInputException {
        List<MetricHistory> out = new ArrayList<>();
        if (spec.triggers().size() == 1 && o.histories.size() == 1 && o.histories.containsKey("")) {
            String file = o.histories.get("");
            out.add(HistoryReader.read(file, read(file), o.series));
            return out;
        }
        for (String name : o.histories.keySet()) {
            if (spec.triggers().stream().noneMatch(t -> t.name().equals(name))) {
                throw new BadInputException("--history " + (name.isEmpty() ? "" : name + "=") + o.histories.get(name)
                        + ": the ScaledObject has " + spec.triggers().size() + " triggers; give one --history NAME=FILE per trigger, "
                        + "NAME from: " + String.join(", ", spec.triggers().stream().map(Trigger::name).toList()));
            }
        }
        for (Trigger t : spec.triggers()) {
            String file = o.histories.get(t.name());
            if (file == null) {
                throw new BadInputException("no --history " + t.name() + "=FILE for trigger " + t.name());
            }
            out.add(HistoryReader.read(file, read(file), o.series));
        }
        return out;
    }

    private static String read(String file) throws BadInputException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The command line, parsed strictly: an unknown or repeated option is an error naming it. */
    private static final class Options {
        boolean help;
        String scaledObject;
        final Map<String, String> histories = new LinkedHashMap<>();
        Optional<String> series = Optional.empty();
        Optional<String> svg = Optional.empty();
        Optional<String> from = Optional.empty();
        Optional<String> to = Optional.empty();
        long step = Replay.HPA_SYNC_SECONDS;
        Optional<Integer> currentReplicas = Optional.empty();
        OptionalDouble missingValue = OptionalDouble.empty();

        static Options parse(String[] args) throws BadInputException {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    o.help = true;
                    return o;
                }
                if (!a.startsWith("--")) {
                    throw new BadInputException("unexpected argument \"" + a + "\" (--help lists the options)");
                }
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                String value;
                if (a.contains("=")) {
                    value = a.substring(a.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new BadInputException(name + " needs a value");
                }
                switch (name) {
                    case "--scaled-object":
                        o.scaledObject = once(name, o.scaledObject, value);
                        break;
                    case "--history":
                        int eq = value.indexOf('=');
                        String trigger = eq > 0 ? value.substring(0, eq) : "";
                        if (o.histories.put(trigger, eq > 0 ? value.substring(eq + 1) : value) != null) {
                            throw new BadInputException("--history given twice" + (trigger.isEmpty() ? "" : " for " + trigger));
                        }
                        break;
                    case "--series":
                        o.series = Optional.of(once(name, o.series.orElse(null), value));
                        break;
                    case "--svg":
                        o.svg = Optional.of(once(name, o.svg.orElse(null), value));
                        break;
                    case "--from":
                        o.from = Optional.of(once(name, o.from.orElse(null), value));
                        break;
                    case "--to":
                        o.to = Optional.of(once(name, o.to.orElse(null), value));
                        break;
                    case "--step":
                        o.step = number(name, value, 1, 86_400);
                        break;
                    case "--current-replicas":
                        o.currentReplicas = Optional.of((int) number(name, value, 0, 100_000));
                        break;
                    case "--missing-value":
                        try {
                            o.missingValue = OptionalDouble.of(Double.parseDouble(value));
                        } catch (NumberFormatException e) {
                            throw new BadInputException(name + ": \"" + value + "\" is not a number");
                        }
                        break;
                    default:
                        throw new BadInputException("unknown option " + name + " (--help lists the options)");
                }
            }
            if (o.scaledObject == null) {
                throw new BadInputException("--scaled-object FILE is required (--help lists the options)");
            }
            if (o.histories.isEmpty()) {
                throw new BadInputException("--history FILE is required (--help lists the options)");
            }
            return o;
        }

        private static String once(String name, String previous, String value) throws BadInputException {
            if (previous != null) {
                throw new BadInputException(name + " given twice");
            }
            return value;
        }

        private static long number(String name, String value, long min, long max) throws BadInputException {
            String v = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            try {
                long n = Long.parseLong(v);
                if (n < min || n > max) {
                    throw new BadInputException(name + ": " + n + " is out of range [" + min + ", " + max + "]");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new BadInputException(name + ": \"" + value + "\" is not a whole number");
            }
        }
    }
}
