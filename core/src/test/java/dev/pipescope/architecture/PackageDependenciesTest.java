package dev.pipescope.architecture;

import dev.pipescope.Pipescope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The arrows of DESIGN.md's layering, checked on core's compiled classes: the package graph of
 * {@code dev.pipescope.*} has no cycle, {@code batch} is the ground floor, {@code pipeline} knows nothing
 * of the observers built on it ({@code health}, {@code events}, {@code jfr}), {@code health} knows nothing
 * of {@code events} or {@code jfr}, only {@code source} and {@code calibration} know the simulators, and no
 * core class knows the program's fault injection.
 *
 * <p>Dependencies are read from each class file's constant pool: every class it names and every type in
 * its field and method descriptors and generic signatures — a superset of what {@code jdeps -verbose:class}
 * reports, with no tool output to parse. String literals do not count as dependencies (but do count as
 * mentioning "Fault"). The classes are read from wherever {@link Pipescope} was loaded: under Maven,
 * {@code core/target/classes}.
 */
class PackageDependenciesTest {
    private static final String ROOT = "dev.pipescope";
    private static final int CLASS_FILE_MAGIC = 0xCAFEBABE;
    /** A class type inside a descriptor or signature: {@code Ldev/pipescope/x/Y;} or {@code ...Y<...>;}. */
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L(dev/pipescope/[\\w/$]+)[;<]");

    /**
     * What one class file says about its class.
     *
     * @param name       binary name, e.g. {@code dev.pipescope.Pipescope$Builder}.
     * @param references binary names of the classes it refers to (itself excluded).
     * @param mentions   every text constant: names, descriptors, signatures, string literals.
     */
    record ClassFacts(String name, Set<String> references, List<String> mentions) {
        String packageName() {
            return packageOf(name);
        }
    }

    private static Path classesRoot;
    private static Map<String, ClassFacts> classes;
    /** package -> package it depends on -> one example "from.Class -> to.Class", for messages. */
    private static Map<String, Map<String, String>> packageGraph;

    @BeforeAll
    static void readClassFiles() throws IOException {
        final Path location;
        try {
            location = Paths.get(Pipescope.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (final URISyntaxException e) {
            throw new AssertionError("cannot tell where core's classes are", e);
        }
        classes = new TreeMap<>();
        if (Files.isDirectory(location)) {
            classesRoot = location;
            readAll(location);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                classesRoot = location;
                readAll(jar.getPath("/"));
            }
        }
        packageGraph = new TreeMap<>();
        for (final ClassFacts c : classes.values()) {
            final Map<String, String> edges = packageGraph.computeIfAbsent(c.packageName(), k -> new TreeMap<>());
            for (final String target : c.references()) {
                final String targetPackage = packageOf(target);
                if (isOurs(target) && !targetPackage.equals(c.packageName())) {
                    edges.putIfAbsent(targetPackage, simple(c.name()) + " -> " + simple(target));
                }
            }
        }
    }

    private static void readAll(final Path root) throws IOException {
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".class"))
                .filter(p -> !p.getFileName().toString().equals("module-info.class"))
                .collect(Collectors.toList());
        }
        for (final Path file : files) {
            final ClassFacts facts = parse(Files.readAllBytes(file), file);
            classes.put(facts.name(), facts);
        }
    }

    /** Reads a class file's constant pool and this_class; nothing else of it is needed. */
    static ClassFacts parse(final byte[] bytes, final Object origin) throws IOException {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != CLASS_FILE_MAGIC) {
            throw new AssertionError(origin + " is not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        final int count = in.readUnsignedShort();
        final String[] utf8 = new String[count];
        final int[] classNameIndex = new int[count];
        final Set<Integer> stringLiterals = new HashSet<>();
        for (int i = 1; i < count; i++) {
            final int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: utf8[i] = in.readUTF(); break;                       // Utf8
                case 3: case 4: in.skipBytes(4); break;                      // Integer, Float
                case 5: case 6: in.skipBytes(8); i++; break;                 // Long, Double take two slots
                case 7: classNameIndex[i] = in.readUnsignedShort(); break;   // Class
                case 8: stringLiterals.add(in.readUnsignedShort()); break;   // String
                case 16: case 19: case 20: in.skipBytes(2); break;           // MethodType, Module, Package
                case 15: in.skipBytes(3); break;                             // MethodHandle
                case 9: case 10: case 11: case 12: case 17: case 18:         // member refs, NameAndType, (Invoke)Dynamic
                    in.skipBytes(4);
                    break;
                default: throw new AssertionError(origin + ": unknown constant pool tag " + tag + " at " + i);
            }
        }
        in.readUnsignedShort(); // access flags
        final String self = utf8[classNameIndex[in.readUnsignedShort()]].replace('/', '.');
        final Set<String> references = new TreeSet<>();
        final List<String> mentions = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (classNameIndex[i] != 0) {
                final String name = utf8[classNameIndex[i]];
                if (name.startsWith("[")) {
                    addDescriptorTypes(name, references); // an array class is named by its descriptor
                } else {
                    references.add(name.replace('/', '.'));
                }
            }
            if (utf8[i] != null) {
                mentions.add(utf8[i]);
                if (!stringLiterals.contains(i)) {
                    addDescriptorTypes(utf8[i], references);
                }
            }
        }
        references.remove(self);
        return new ClassFacts(self, references, mentions);
    }

    private static void addDescriptorTypes(final String text, final Set<String> into) {
        final Matcher m = TYPE_IN_DESCRIPTOR.matcher(text);
        while (m.find()) {
            into.add(m.group(1).replace('/', '.'));
        }
    }

    static String packageOf(final String binaryName) {
        final int dot = binaryName.lastIndexOf('.');
        return dot < 0 ? "" : binaryName.substring(0, dot);
    }

    private static boolean isOurs(final String binaryName) {
        return binaryName.startsWith(ROOT + ".");
    }

    private static String simple(final String binaryName) {
        return binaryName.substring(ROOT.length() + 1);
    }

    /** True when {@code pkg} is {@code layer} or one of its subpackages. */
    private static boolean inLayer(final String pkg, final String layer) {
        return pkg.equals(layer) || pkg.startsWith(layer + ".");
    }

    @Test
    void theClassesOfEveryPackageWereRead() {
        final Set<String> expected = Stream.of("", ".batch", ".calibration", ".events", ".health", ".jfr", ".log",
            ".metrics", ".pipeline", ".resilience", ".source", ".stage", ".stage.builtin")
            .map(s -> ROOT + s).collect(Collectors.toCollection(TreeSet::new));
        final Set<String> read = classes.values().stream().map(ClassFacts::packageName)
            .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(read.containsAll(expected), "read " + classes.size() + " classes from " + classesRoot
            + " in packages " + read + "; expected at least " + expected);
    }

    @Test
    void packagesFormNoCycle() {
        final List<List<String>> cycles = new ArrayList<>();
        for (final Set<String> component : stronglyConnectedComponents()) {
            if (component.size() > 1) {
                cycles.add(cycleThrough(component));
            }
        }
        if (!cycles.isEmpty()) {
            final StringBuilder s = new StringBuilder("package cycles in core:\n");
            for (final List<String> cycle : cycles) {
                s.append("  ").append(String.join(" -> ", cycle)).append('\n');
                for (int i = 0; i + 1 < cycle.size(); i++) {
                    s.append("      ").append(packageGraph.get(cycle.get(i)).get(cycle.get(i + 1))).append('\n');
                }
            }
            fail(s.toString());
        }
    }

    /** Tarjan's algorithm over the package graph. */
    private static List<Set<String>> stronglyConnectedComponents() {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new LinkedHashSet<>();
        final List<Set<String>> components = new ArrayList<>();
        final int[] next = {0};
        for (final String p : packageGraph.keySet()) {
            if (!index.containsKey(p)) {
                strongConnect(p, index, low, stack, onStack, components, next);
            }
        }
        return components;
    }

    private static void strongConnect(final String p, final Map<String, Integer> index, final Map<String, Integer> low,
        final Deque<String> stack, final Set<String> onStack, final List<Set<String>> components, final int[] next) {
        index.put(p, next[0]);
        low.put(p, next[0]);
        next[0]++;
        stack.push(p);
        onStack.add(p);
        for (final String q : packageGraph.getOrDefault(p, Map.of()).keySet()) {
            if (!index.containsKey(q)) {
                strongConnect(q, index, low, stack, onStack, components, next);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (onStack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            final Set<String> component = new TreeSet<>();
            String q;
            do {
                q = stack.pop();
                onStack.remove(q);
                component.add(q);
            } while (!q.equals(p));
            components.add(component);
        }
    }

    /** A shortest cycle from the component's first package back to itself, staying inside the component. */
    private static List<String> cycleThrough(final Set<String> component) {
        final String start = component.iterator().next();
        final Map<String, String> cameFrom = new LinkedHashMap<>();
        final Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            final String p = queue.poll();
            for (final String q : packageGraph.getOrDefault(p, Map.of()).keySet()) {
                if (!component.contains(q)) {
                    continue;
                }
                if (q.equals(start)) {
                    final List<String> cycle = new ArrayList<>(List.of(start));
                    for (String at = p; !at.equals(start); at = cameFrom.get(at)) {
                        cycle.add(1, at);
                    }
                    cycle.add(start);
                    return cycle;
                }
                if (!cameFrom.containsKey(q)) {
                    cameFrom.put(q, p);
                    queue.add(q);
                }
            }
        }
        throw new AssertionError("no cycle through " + start + " in " + component);
    }

    @Test
    void onlySourceAndCalibrationKnowTheSimulators() {
        final List<String> offenders = new ArrayList<>();
        for (final ClassFacts c : classes.values()) {
            if (inLayer(c.packageName(), ROOT + ".source") || inLayer(c.packageName(), ROOT + ".calibration")) {
                continue;
            }
            for (final String target : c.references()) {
                final String simpleName = target.substring(target.lastIndexOf('.') + 1);
                if (Stream.of(simpleName.split("\\$")).anyMatch(part -> part.startsWith("Simulated"))) {
                    offenders.add(c.name() + " -> " + target);
                }
            }
        }
        assertEquals(List.of(), offenders, "only dev.pipescope.source and dev.pipescope.calibration may use the"
            + " simulators; the rest of core must work with any source and calibration service");
    }

    @Test
    void noCoreClassMentionsFaults() {
        final List<String> offenders = new ArrayList<>();
        for (final ClassFacts c : classes.values()) {
            for (final String text : c.mentions()) {
                if (text.contains("Fault")) {
                    offenders.add(c.name() + ": \"" + text + "\"");
                }
            }
        }
        assertEquals(List.of(), offenders, "fault injection belongs to the program (jmx), not to core's classes");
    }

    @Test
    void batchIsTheGroundFloor() {
        final String batch = ROOT + ".batch";
        assertNoDependency(batch, "any other dev.pipescope package", target -> !inLayer(target, batch));
    }

    @Test
    void pipelineKnowsNothingOfHealthEventsOrJfr() {
        assertNoDependency(ROOT + ".pipeline", ROOT + ".{health,events,jfr}",
            target -> inLayer(target, ROOT + ".health") || inLayer(target, ROOT + ".events")
                || inLayer(target, ROOT + ".jfr"));
    }

    @Test
    void healthKnowsNothingOfEventsOrJfr() {
        assertNoDependency(ROOT + ".health", ROOT + ".{events,jfr}",
            target -> inLayer(target, ROOT + ".events") || inLayer(target, ROOT + ".jfr"));
    }

    /**
     * Fails listing every class of {@code from} (or its subpackages) that uses a dev.pipescope class whose
     * package is forbidden.
     */
    private static void assertNoDependency(final String from, final String forbiddenDescription,
        final Predicate<String> forbiddenPackage) {
        final List<String> offenders = new ArrayList<>();
        for (final ClassFacts c : classes.values()) {
            if (!inLayer(c.packageName(), from)) {
                continue;
            }
            for (final String target : c.references()) {
                if (isOurs(target) && forbiddenPackage.test(packageOf(target))) {
                    offenders.add(c.name() + " -> " + target);
                }
            }
        }
        assertEquals(List.of(), offenders, from + " must not depend on " + forbiddenDescription);
    }
}
