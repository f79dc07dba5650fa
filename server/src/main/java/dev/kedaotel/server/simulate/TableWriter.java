package dev.kedaotel.server.simulate;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The replay as a fixed-width text table: a row every {@code stepSeconds} from the start, and every row at which
 * KEDA acted or the replica count changed, so no scaling step is hidden by a coarse step.
 * Columns: time (UTC), the value per trigger ({@code error} for a failed read), active, KEDA's action, the
 * HPA's recommendation, replicas, reason.
 */
final class TableWriter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private TableWriter() {
    }

    static void write(PrintStream out, ScaledObjectSpec spec, List<Row> rows, long stepSeconds) {
        if (rows.isEmpty()) {
            return;
        }
        long from = rows.get(0).timeMs();
        boolean multiDay = rows.get(rows.size() - 1).timeMs() - from >= 24 * 3600 * 1000L;
        List<String[]> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("time"));
        for (Trigger t : spec.triggers()) {
            header.add(spec.triggers().size() == 1 ? "value" : t.name());
        }
        header.addAll(List.of("active", "keda", "hpa", "replicas", "reason"));
        lines.add(header.toArray(new String[0]));
        int previous = -1;
        for (Row r : rows) {
            boolean onStep = (r.timeMs() - from) % (stepSeconds * 1000L) == 0;
            if (!onStep && r.kedaAction().isEmpty() && r.replicas() == previous) {
                continue;
            }
            previous = r.replicas();
            List<String> cells = new ArrayList<>();
            cells.add((multiDay ? DATE_TIME : TIME).format(Instant.ofEpochMilli(r.timeMs())));
            for (MetricReading m : r.readings()) {
                cells.add(m.ok() ? Numbers.format(m.value().getAsDouble()) : "error");
            }
            cells.add(r.active() ? "yes" : "no");
            cells.add(r.kedaAction().isEmpty() ? "-" : r.kedaAction());
            cells.add(r.recommendation() < 0 ? "-" : Integer.toString(r.recommendation()));
            cells.add(Integer.toString(r.replicas()));
            cells.add(r.reason());
            lines.add(cells.toArray(new String[0]));
        }
        int[] widths = new int[header.size()];
        for (String[] l : lines) {
            for (int i = 0; i < l.length - 1; i++) {
                widths[i] = Math.max(widths[i], l[i].length());
            }
        }
        for (String[] l : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                b.append(l[i]);
                if (i < l.length - 1) {
                    b.append(" ".repeat(widths[i] - l[i].length() + 2));
                }
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
