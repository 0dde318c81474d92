package dev.pipescope.source;

/** A reusable, mutable {@link CharSequence} view over a range of a char array, so callbacks need no copy. */
final class CharView implements CharSequence {
    private char[] chars = new char[0];
    private int offset;
    private int length;

    CharView wrap(final char[] newChars, final int newOffset, final int newLength) {
        chars = newChars;
        offset = newOffset;
        length = newLength;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(final int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return chars[offset + index];
    }

    @Override
    public CharSequence subSequence(final int start, final int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(chars, offset, length);
    }
}
