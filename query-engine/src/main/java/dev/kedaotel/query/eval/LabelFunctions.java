package dev.kedaotel.query.eval;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.model.Labels;
import dev.kedaotel.model.PrometheusNames;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** label_replace and label_join; their rows in {@link FunctionTable} check that the results stay distinct. */
final class LabelFunctions {
    private LabelFunctions() {
    }

    static Vec labelReplace(Vec in, String dst, String replacement, String src, String regex) throws PromQLException {
        Pattern p;
        try {
            p = Pattern.compile("(?s)^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw PromQLException.execution("invalid regular expression in label_replace(): " + regex);
        }
        if (!PrometheusNames.isValidLabelName(dst)) {
            throw PromQLException.execution("invalid destination label name in label_replace(): " + dst);
        }
        Vec out = new Vec(in.size());
        for (int i = 0; i < in.size(); i++) {
            Labels l = in.labels(i);
            Matcher m = p.matcher(l.get(src));
            if (!m.matches()) {
                out.add(l, in.value(i));
                continue;
            }
            out.add(withLabel(l, dst, expand(replacement, m)), in.value(i));
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

    /** Go's Regexp.Expand: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}. */
    static String expand(String template, Matcher m) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                sb.append(c);
                i++;
                continue;
            }
            char n = template.charAt(i + 1);
            if (n == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (n == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    sb.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                end = i + 1;
                while (end < template.length() && isWordChar(template.charAt(end))) {
                    end++;
                }
                name = template.substring(i + 1, end);
            }
            if (name.isEmpty() || !name.chars().allMatch(ch -> isWordChar((char) ch))) {
                sb.append(c);
                i++;
                continue;
            }
            sb.append(group(m, name));
            i = end;
        }
        return sb.toString();
    }

    private static String group(Matcher m, String name) {
        String g = null;
        if (name.chars().allMatch(Character::isDigit)) {
            try {
                int idx = Integer.parseInt(name);
                if (idx <= m.groupCount()) {
                    g = m.group(idx);
                }
            } catch (NumberFormatException e) {
                g = null;
            }
        } else {
            try {
                g = m.group(name);
            } catch (IllegalArgumentException e) {
                g = null;
            }
        }
        return g == null ? "" : g;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
