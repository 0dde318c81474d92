package dev.pipescope.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or plain seconds; at least 1 ms. */
class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    /** The same, where 0 is allowed too (it means "no limit" to the option that takes it). */
    static final class ZeroAllowed extends DurationConverter {
        @Override
        public Duration convert(final String value) {
            final Matcher m = FORMAT.matcher(value.trim());
            if (m.matches() && Double.parseDouble(m.group(1)) == 0) {
                return Duration.ZERO;
            }
            try {
                return super.convert(value);
            } catch (final CommandLine.TypeConversionException e) {
                throw new CommandLine.TypeConversionException(e.getMessage().replace("must be at least 1ms",
                    "must be 0 or at least 1ms"));
            }
        }
    }

    @Override
    public Duration convert(final String value) {
        final Matcher m = FORMAT.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value
                + "' is not a duration; write e.g. 500ms, 30s, 5m or 1h");
        }
        final double amount = Double.parseDouble(m.group(1));
        final String unit = m.group(2) == null ? "s" : m.group(2);
        final double nanos;
        switch (unit) {
            case "ms": nanos = amount * 1e6; break;
            case "m": nanos = amount * 60e9; break;
            case "h": nanos = amount * 3600e9; break;
            default: nanos = amount * 1e9; break;
        }
        if (nanos < 1e6) {
            throw new CommandLine.TypeConversionException("duration '" + value + "' must be at least 1ms");
        }
        return Duration.ofNanos((long) nanos);
    }
}
