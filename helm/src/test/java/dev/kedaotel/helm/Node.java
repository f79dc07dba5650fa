package dev.kedaotel.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A position inside a parsed YAML document with dotted-path navigation ({@code spec.template.spec}).
 * A missing key is an assertion failure naming the full path, never a NullPointerException, so test
 * failures say what the chart failed to render.
 */
final class Node {
    private final Object value;
    private final String path;

    Node(Object value, String path) {
        this.value = value;
        this.path = path;
    }

    Object raw() {
        return value;
    }

    String path() {
        return path;
    }

    /** The node at a dotted path below this one; fails when any step is missing. */
    Node at(String dottedPath) {
        Node n = this;
        for (String key : dottedPath.split("\\.")) {
            n = n.child(key);
        }
        return n;
    }

    boolean has(String dottedPath) {
        Object v = value;
        for (String key : dottedPath.split("\\.")) {
            if (!(v instanceof Map) || !((Map<?, ?>) v).containsKey(key)) {
                return false;
            }
            v = ((Map<?, ?>) v).get(key);
        }
        return true;
    }

    private Node child(String key) {
        if (!(value instanceof Map)) {
            throw new AssertionError(path + " is not a mapping, so it has no '" + key + "': " + value);
        }
        Map<?, ?> m = (Map<?, ?>) value;
        if (!m.containsKey(key)) {
            throw new AssertionError(path + " has no key '" + key + "'; keys are " + m.keySet());
        }
        return new Node(m.get(key), path + "." + key);
    }

    String str(String dottedPath) {
        if (!has(dottedPath)) {
            return null;
        }
        Object v = at(dottedPath).value;
        return v == null ? null : String.valueOf(v);
    }

    String str() {
        return value == null ? null : String.valueOf(value);
    }

    int integer() {
        if (!(value instanceof Number)) {
            throw new AssertionError(path + " is not a number: " + value);
        }
        return ((Number) value).intValue();
    }

    List<Node> list(String dottedPath) {
        return at(dottedPath).list();
    }

    List<Node> list() {
        if (!(value instanceof List)) {
            throw new AssertionError(path + " is not a list: " + value);
        }
        List<Node> out = new ArrayList<>();
        List<?> l = (List<?>) value;
        for (int i = 0; i < l.size(); i++) {
            out.add(new Node(l.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    /** The single list element under dottedPath for which the predicate holds. */
    Node find(String dottedPath, Predicate<Node> predicate, String what) {
        List<Node> hits = new ArrayList<>();
        for (Node n : list(dottedPath)) {
            if (predicate.test(n)) {
                hits.add(n);
            }
        }
        if (hits.size() != 1) {
            throw new AssertionError("expected one " + what + " in " + path + "." + dottedPath + ", found " + hits.size() + ": " + at(dottedPath).value);
        }
        return hits.get(0);
    }

    /** The element of a list of {name: ..} objects with that name. */
    Node named(String dottedPath, String name) {
        return find(dottedPath, n -> name.equals(n.str("name")), "entry named " + name);
    }

    @Override
    public String toString() {
        return path + "=" + value;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
        if (!(value instanceof Map)) {
            throw new AssertionError(path + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }
}
