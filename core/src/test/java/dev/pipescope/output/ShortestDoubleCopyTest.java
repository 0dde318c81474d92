package dev.pipescope.output;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The output package carries copies of two package-private writers of the log package; they must not
 * drift from the originals, and what they write must read back exactly.
 */
class ShortestDoubleCopyTest {
    private static final DateTimeFormatter ISO_MILLIS =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static MethodHandle logMethod(final String className, final String method, final MethodType type,
        final boolean isStatic) throws ReflectiveOperationException {
        final Class<?> c = Class.forName("dev.pipescope.log." + className);
        final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
        return isStatic ? lookup.findStatic(c, method, type) : lookup.findVirtual(c, method, type);
    }

    private static String text(final MutableDirectBuffer b, final int end) {
        return b.getStringWithoutLengthAscii(0, end);
    }

    @Test
    void theDoubleWriterMatchesTheLogPackagesAndReadsBack() throws Throwable {
        final MethodHandle original = logMethod("ShortestDouble", "put",
            MethodType.methodType(int.class, MutableDirectBuffer.class, int.class, double.class), true);
        final UnsafeBuffer mine = new UnsafeBuffer(new byte[64]);
        final UnsafeBuffer theirs = new UnsafeBuffer(new byte[64]);
        final SplittableRandom r = new SplittableRandom(2020);
        final double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
            0.1 + 0.2, 1e7, 9999999.999999998, 1e-3, 0.00099999999, 5e-324, 2.0E-3, 1e23, 21.5, -3.25};
        for (int i = 0; i < 200_000 + special.length; i++) {
            final double v = i < special.length ? special[i]
                : i % 3 == 0 ? Double.longBitsToDouble(r.nextLong()) : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-30, 30));
            if (!Double.isFinite(v)) {
                continue;
            }
            final int a = ShortestDouble.put(mine, 0, v);
            final int b = (int) original.invokeExact((MutableDirectBuffer) theirs, 0, v);
            assertEquals(text(theirs, b), text(mine, a), "bits " + Long.toHexString(Double.doubleToRawLongBits(v)));
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(text(mine, a))),
                text(mine, a));
        }
    }

    @Test
    void theTimestampWriterMatchesTheLogPackagesAndJavaTime() throws Throwable {
        final Class<?> c = Class.forName("dev.pipescope.log.UtcTimestampWriter");
        final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
        final Object theirWriter = lookup.findConstructor(c, MethodType.methodType(void.class)).invoke();
        final MethodHandle original = lookup.findVirtual(c, "put",
            MethodType.methodType(int.class, MutableDirectBuffer.class, int.class, long.class));
        final UtcTimestampWriter mine = new UtcTimestampWriter();
        final UnsafeBuffer a = new UnsafeBuffer(new byte[32]);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[32]);
        final SplittableRandom r = new SplittableRandom(1127);
        for (int i = 0; i < 100_000; i++) {
            final long ms = i % 2 == 0 ? r.nextLong(UtcTimestampWriter.MIN_EPOCH_MILLIS, UtcTimestampWriter.MAX_EPOCH_MILLIS)
                : 1_386_018_900_000L + r.nextLong(-1_000_000_000L, 1_000_000_000L);
            final int end = mine.put(a, 0, ms);
            final int theirEnd = (int) original.invoke(theirWriter, (MutableDirectBuffer) b, 0, ms);
            assertEquals(text(b, theirEnd), text(a, end));
            assertEquals(ISO_MILLIS.format(Instant.ofEpochMilli(ms)), text(a, end));
        }
    }
}
