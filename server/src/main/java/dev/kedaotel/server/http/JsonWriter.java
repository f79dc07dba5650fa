package dev.kedaotel.server.http;

import dev.kedaotel.model.GoJson;

/**
 * A minimal streaming JSON writer into a StringBuilder. It tracks only whether a comma is due, so
 * callers write well-formed output by pairing begin/end calls; no reflection, no object mapping.
 */
public final class JsonWriter {
    private final StringBuilder sb;
    private boolean needComma;

    public JsonWriter(StringBuilder sb) {
        this.sb = sb;
    }

    public JsonWriter() {
        this(new StringBuilder(256));
    }

    public JsonWriter beginObject() {
        comma();
        sb.append('{');
        needComma = false;
        return this;
    }

    public JsonWriter endObject() {
        sb.append('}');
        needComma = true;
        return this;
    }

    public JsonWriter beginArray() {
        comma();
        sb.append('[');
        needComma = false;
        return this;
    }

    public JsonWriter endArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    /** Writes an object key; the next value call writes its value. */
    public JsonWriter name(String name) {
        comma();
        string(sb, name);
        sb.append(':');
        needComma = false;
        return this;
    }

    public JsonWriter value(String s) {
        comma();
        if (s == null) {
            sb.append("null");
        } else {
            string(sb, s);
        }
        needComma = true;
        return this;
    }

    public JsonWriter value(boolean b) {
        comma();
        sb.append(b);
        needComma = true;
        return this;
    }

    public JsonWriter value(long v) {
        comma();
        sb.append(v);
        needComma = true;
        return this;
    }

    /** A JSON number; non-finite values have no JSON number form and are written as strings. */
    public JsonWriter value(double v) {
        comma();
        if (Double.isFinite(v)) {
            sb.append(PromFormat.value(v));
        } else {
            string(sb, PromFormat.value(v));
        }
        needComma = true;
        return this;
    }

    /** Writes pre-formatted JSON verbatim (e.g. a Prometheus timestamp number). */
    public JsonWriter raw(String json) {
        comma();
        sb.append(json);
        needComma = true;
        return this;
    }

    public JsonWriter nullValue() {
        comma();
        sb.append("null");
        needComma = true;
        return this;
    }

    private void comma() {
        if (needComma) {
            sb.append(',');
        }
    }

    /** Appends {@code s} as a JSON string, escaped as Go's encoding/json does (see {@link GoJson}). */
    public static void string(StringBuilder sb, String s) {
        GoJson.appendQuoted(sb, s);
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
