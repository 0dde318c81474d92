package dev.pipescope.log;

/**
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, which JDK 17 exports only when the JVM is started
 * with {@value #JVM_OPTION}. Without it the first Agrona buffer fails deep inside Agrona with an
 * {@code IllegalAccessError}; pipescope checks once, up front, and says which option to add instead.
 */
public final class AgronaAccess {
    /** The JVM option pipescope needs (the packaged program's manifest sets it itself). */
    public static final String JVM_OPTION = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    private static final String PROBLEM = probe();

    private AgronaAccess() {
    }

    private static String probe() {
        try {
            Class.forName("org.agrona.UnsafeApi", true, AgronaAccess.class.getClassLoader());
            return null;
        } catch (final IllegalAccessError | ExceptionInInitializerError | NoClassDefFoundError e) {
            return "pipescope needs the JVM option " + JVM_OPTION + " (Agrona uses jdk.internal.misc.Unsafe);"
                + " add it to the java command line before -cp or -jar";
        } catch (final ClassNotFoundException e) {
            return null; // an Agrona without UnsafeApi needs no export
        }
    }

    /**
     * @throws IllegalStateException with a one-line message naming the JVM option when Agrona cannot reach
     *                               its internals.
     */
    public static void check() {
        if (PROBLEM != null) {
            throw new IllegalStateException(PROBLEM);
        }
    }

    /** @return the one-line explanation when Agrona cannot reach its internals, else null. */
    public static String problem() {
        return PROBLEM;
    }

    /** @return true when Agrona can reach its internals. */
    public static boolean isAvailable() {
        return PROBLEM == null;
    }
}
