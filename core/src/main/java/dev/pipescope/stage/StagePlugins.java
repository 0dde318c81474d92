package dev.pipescope.stage;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Stage types from a user's own jars: every {@code *.jar} in a directory, loaded by one class loader whose
 * parent is pipescope's, so the jars see pipescope's API and {@link StageCatalog#discover(ClassLoader)}
 * finds their {@code META-INF/services/dev.pipescope.stage.Stage} entries beside the built-in types. This
 * is how a program started with {@code java -jar} (which ignores {@code -cp}) gets plugins.
 */
public final class StagePlugins {
    private StagePlugins() {
    }

    /**
     * @param directory a directory holding plugin jars.
     * @return the jars in it, sorted by name.
     * @throws IllegalArgumentException naming the directory when it does not exist, is not a directory or
     *                                  holds no jar.
     */
    public static List<Path> jars(final Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("plugin directory " + directory + " does not exist or is not a directory");
        }
        final List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                .sorted().collect(Collectors.toList());
        } catch (final IOException e) {
            throw new IllegalArgumentException("cannot list plugin directory " + directory + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw new IllegalArgumentException("plugin directory " + directory + " holds no .jar file");
        }
        return jars;
    }

    /**
     * @param directories directories of plugin jars (none: the built-in types only).
     * @return a catalog of the built-in types and every type the jars offer.
     * @throws IllegalArgumentException when a directory is unusable (see {@link #jars(Path)}).
     */
    public static StageCatalog catalog(final List<Path> directories) {
        final ClassLoader parent = StagePlugins.class.getClassLoader();
        if (directories.isEmpty()) {
            return StageCatalog.discover(parent);
        }
        final List<URL> urls = new ArrayList<>();
        for (final Path dir : directories) {
            for (final Path jar : jars(dir)) {
                try {
                    urls.add(jar.toUri().toURL());
                } catch (final MalformedURLException e) {
                    throw new IllegalArgumentException("plugin jar " + jar + ": " + e.getMessage(), e);
                }
            }
        }
        // lives as long as the program: stage classes loaded from it must stay loadable
        final URLClassLoader loader = new URLClassLoader("pipescope-plugins", urls.toArray(new URL[0]), parent);
        return StageCatalog.discover(loader);
    }
}
