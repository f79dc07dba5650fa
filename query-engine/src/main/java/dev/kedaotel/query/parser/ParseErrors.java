package dev.kedaotel.query.parser;

import dev.kedaotel.query.PromQLException;

/** Builds Prometheus-style positioned parse errors: {@code "<line>:<col>: parse error: <msg>"} (1-based). */
final class ParseErrors {
    private ParseErrors() {
    }

    static PromQLException at(String input, int pos, String message) {
        int line = 1;
        int lastBreak = -1;
        int end = Math.min(pos, input.length());
        for (int i = 0; i < end; i++) {
            if (input.charAt(i) == '\n') {
                line++;
                lastBreak = i;
            }
        }
        int col = pos - lastBreak;
        return new PromQLException(PromQLException.Kind.BAD_DATA, line + ":" + col + ": parse error: " + message);
    }
}
