package dev.pipescope.http;

/**
 * A small JSON writer for the health endpoints' bodies (RFC 8259: strings escaped, NaN and infinities
 * written as {@code null}). Not on any hot path: a probe or an operator asks, a body is built.
 */
final class Json {
    private final StringBuilder out = new StringBuilder(256);
    private boolean needComma;

    Json beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    Json beginObject(final String key) {
        key(key);
        out.append('{');
        needComma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    Json beginArray(final String key) {
        key(key);
        out.append('[');
        needComma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    Json field(final String key, final String value) {
        key(key);
        string(value);
        needComma = true;
        return this;
    }

    Json field(final String key, final long value) {
        key(key);
        out.append(value);
        needComma = true;
        return this;
    }

    Json field(final String key, final double value) {
        key(key);
        number(value);
        needComma = true;
        return this;
    }

    Json field(final String key, final boolean value) {
        key(key);
        out.append(value);
        needComma = true;
        return this;
    }

    Json nullField(final String key) {
        key(key);
        out.append("null");
        needComma = true;
        return this;
    }

    /** An array element that is a string. */
    Json item(final String value) {
        comma();
        string(value);
        needComma = true;
        return this;
    }

    private void key(final String key) {
        comma();
        string(key);
        out.append(':');
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    private void number(final double v) {
        if (!Double.isFinite(v)) {
            out.append("null");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else {
            out.append(v);
        }
    }

    private void string(final String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
