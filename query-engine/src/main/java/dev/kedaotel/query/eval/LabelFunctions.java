package dev.kedaotel.query.eval;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.model.GoRegexp;
import dev.kedaotel.model.Labels;
import dev.kedaotel.model.PrometheusNames;

import java.util.List;
import java.util.Map;

/** label_replace and label_join; their rows in {@link FunctionTable} check that the results stay distinct. */
final class LabelFunctions {
    private LabelFunctions() {
    }

    /**
     * Prometheus' label_replace: the regex is Go's (RE2/J via {@link GoRegexp}, linear time), anchored;
     * {@code replacement} is expanded as Go's {@code Regexp.ExpandString} does.
     */
    static Vec labelReplace(Vec in, String dst, String replacement, String src, String regex) throws PromQLException {
        GoRegexp re;
        try {
            re = GoRegexp.compileAnchored(regex);
        } catch (GoRegexp.SyntaxException e) {
            throw PromQLException.execution("invalid regular expression in label_replace(): " + regex);
        }
        if (!PrometheusNames.isValidLabelName(dst)) {
            throw PromQLException.execution("invalid destination label name in label_replace(): " + dst);
        }
        Vec out = new Vec(in.size());
        for (int i = 0; i < in.size(); i++) {
            Labels l = in.labels(i);
            String replaced = re.expandIfMatches(replacement, l.get(src));
            out.add(replaced == null ? l : withLabel(l, dst, replaced), in.value(i));
        }
        return out;
    }

    static Vec labelJoin(Vec in, String dst, String sep, List<String> srcs) throws PromQLException {
        if (!PrometheusNames.isValidLabelName(dst)) {
            throw PromQLException.execution("invalid destination label name in label_join(): " + dst);
        }
        Vec out = new Vec(in.size());
        for (int i = 0; i < in.size(); i++) {
            Labels l = in.labels(i);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < srcs.size(); k++) {
                if (k > 0) {
                    sb.append(sep);
                }
                sb.append(l.get(srcs.get(k)));
            }
            out.add(withLabel(l, dst, sb.toString()), in.value(i));
        }
        return out;
    }

    private static Labels withLabel(Labels l, String name, String value) {
        Map<String, String> m = l.toMap();
        if (value.isEmpty()) {
            m.remove(name);
        } else {
            m.put(name, value);
        }
        return Labels.fromMap(m);
    }
}
