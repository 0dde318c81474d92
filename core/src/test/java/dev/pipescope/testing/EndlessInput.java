package dev.pipescope.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The same lines over and over, without allocating: an endless file for steady-state allocation tests. */
public final class EndlessInput extends InputStream {
    private final byte[] pattern;
    private int position;

    /** @param lines the text repeated forever (UTF-8). */
    public EndlessInput(final String lines) {
        pattern = lines.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int read() {
        final int b = pattern[position] & 0xFF;
        position = (position + 1) % pattern.length;
        return b;
    }

    @Override
    public int read(final byte[] b, final int off, final int len) {
        final int n = Math.min(len, pattern.length - position);
        System.arraycopy(pattern, position, b, off, n);
        position = (position + n) % pattern.length;
        return n;
    }
}
