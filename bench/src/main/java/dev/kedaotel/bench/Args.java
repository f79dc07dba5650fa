package dev.kedaotel.bench;

import java.util.HashMap;
import java.util.Map;

/** Minimal "--name value" option parsing for the bench mains; unknown options are an error. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, String... known) {
        java.util.Set<String> ok = java.util.Set.of(known);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + a + "'; options: " + ok);
            }
            String name = a.substring(2);
            if (!ok.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; options: " + ok);
            }
            values.put(name, args[++i]);
        }
    }

    int integer(String name, int def) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : def;
    }

    long longValue(String name, long def) {
        return values.containsKey(name) ? Long.parseLong(values.get(name)) : def;
    }

    double number(String name, double def) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : def;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String def) {
        return values.getOrDefault(name, def);
    }
}
