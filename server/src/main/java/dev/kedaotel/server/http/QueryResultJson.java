package dev.kedaotel.server.http;

import dev.kedaotel.query.QueryResult;
import dev.kedaotel.model.Labels;

import java.util.List;

/**
 * Writes a query result as Prometheus' {@code data} object: {@code {"resultType":…,"result":…}},
 * with timestamps as unix-second numbers and sample values as strings.
 */
final class QueryResultJson {
    private QueryResultJson() {
    }

    static void write(JsonWriter w, QueryResult r) {
        write(w, r, Integer.MAX_VALUE);
    }

    /** As {@link #write(JsonWriter, QueryResult)}, writing at most {@code maxSeries} vector elements or matrix series. */
    static void write(JsonWriter w, QueryResult r, int maxSeries) {
        w.beginObject();
        switch (r.type()) {
            case VECTOR:
                w.name("resultType").value("vector").name("result").beginArray();
                String ts = PromFormat.timestamp(r.timestampMs());
                for (int i = 0; i < Math.min(r.size(), maxSeries); i++) {
                    w.beginObject().name("metric");
                    labels(w, r.labels(i));
                    w.name("value").beginArray().raw(ts).value(PromFormat.value(r.value(i))).endArray();
                    w.endObject();
                }
                w.endArray();
                break;
            case SCALAR:
                w.name("resultType").value("scalar").name("result").beginArray()
                        .raw(PromFormat.timestamp(r.timestampMs())).value(PromFormat.value(r.scalar())).endArray();
                break;
            case STRING:
                w.name("resultType").value("string").name("result").beginArray()
                        .raw(PromFormat.timestamp(r.timestampMs())).value(r.string()).endArray();
                break;
            case MATRIX:
                w.name("resultType").value("matrix").name("result").beginArray();
                List<QueryResult.Series> all = r.series();
                for (QueryResult.Series s : all.subList(0, Math.min(all.size(), maxSeries))) {
                    w.beginObject().name("metric");
                    labels(w, s.labels());
                    w.name("values").beginArray();
                    long[] t = s.timestamps();
                    double[] v = s.values();
                    for (int i = 0; i < s.size(); i++) {
                        w.beginArray().raw(PromFormat.timestamp(t[i])).value(PromFormat.value(v[i])).endArray();
                    }
                    w.endArray().endObject();
                }
                w.endArray();
                break;
            default:
                throw new IllegalStateException("unknown result type " + r.type());
        }
        w.endObject();
    }

    static void labels(JsonWriter w, Labels l) {
        w.beginObject();
        for (int i = 0; i < l.size(); i++) {
            w.name(l.name(i)).value(l.value(i));
        }
        w.endObject();
    }
}
