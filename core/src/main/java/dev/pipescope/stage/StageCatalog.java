package dev.pipescope.stage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The stage types available to pipelines, discovered with {@link ServiceLoader} from every
 * {@code META-INF/services/dev.pipescope.stage.Stage} on the class path. A type that breaks the
 * contract is not offered; its problem is kept in {@link #rejected()} so tools can show it (the Java
 * counterpart of "WARNING: X has no 'process' method").
 */
public final class StageCatalog {
    private final Map<String, StageType> types;
    private final List<String> rejected;
    private final String unknownTypeHint;

    private StageCatalog(final Map<String, StageType> types, final List<String> rejected) {
        this(types, rejected, "");
    }

    private StageCatalog(final Map<String, StageType> types, final List<String> rejected, final String hint) {
        this.types = Collections.unmodifiableMap(types);
        this.rejected = Collections.unmodifiableList(rejected);
        this.unknownTypeHint = hint;
    }

    /**
     * The same types with a hint appended to the "unknown stage type" error, e.g. how the program loads
     * stage types from a user's jar.
     *
     * @param hint the sentence to append (starting with its own separator, e.g. {@code "; ..."}).
     * @return a catalog with the hint.
     */
    public StageCatalog withUnknownTypeHint(final String hint) {
        return new StageCatalog(types, rejected, hint == null ? "" : hint);
    }

    /** @return the text appended to an "unknown stage type" error (empty for none). */
    public String unknownTypeHint() {
        return unknownTypeHint;
    }

    /**
     * Discovers the stage types visible to the thread's context class loader.
     *
     * @return the catalog.
     */
    public static StageCatalog discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    /**
     * Discovers the stage types visible to a class loader.
     *
     * @param loader where to look.
     * @return the catalog.
     */
    public static StageCatalog discover(final ClassLoader loader) {
        final Map<String, StageType> types = new LinkedHashMap<>();
        final List<String> rejected = new ArrayList<>();
        final Iterator<ServiceLoader.Provider<Stage>> providers =
            ServiceLoader.load(Stage.class, loader).stream().iterator();
        while (true) {
            final ServiceLoader.Provider<Stage> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (final ServiceConfigurationError e) {
                // ServiceLoader's own wording ("Provider X not a subtype") does not say what to fix
                rejected.add("a stage type listed in META-INF/services/" + Stage.class.getName()
                    + " cannot be loaded: " + e.getMessage() + "; a stage type must be a public class that"
                    + " implements " + Stage.class.getName() + " (process(RecordBatch)) and has a public"
                    + " no-argument constructor");
                continue;
            }
            add(types, rejected, provider.type());
        }
        return new StageCatalog(types, rejected);
    }

    /**
     * Builds a catalog from explicit classes, checking each against the contract.
     *
     * @param classes candidate stage classes.
     * @return the catalog.
     */
    public static StageCatalog of(final Class<?>... classes) {
        final Map<String, StageType> types = new LinkedHashMap<>();
        final List<String> rejected = new ArrayList<>();
        for (final Class<?> c : classes) {
            add(types, rejected, c);
        }
        return new StageCatalog(types, rejected);
    }

    private static void add(final Map<String, StageType> types, final List<String> rejected, final Class<?> c) {
        try {
            final StageType type = StageType.inspect(c);
            final StageType clash = types.get(type.name());
            if (clash != null) {
                if (clash.stageClass() != type.stageClass()) {
                    rejected.add("stage type " + c.getName() + " is ignored: type name '" + type.name()
                        + "' is already taken by " + clash.stageClass().getName());
                }
                return;
            }
            types.put(type.name(), type);
        } catch (final StageContractException e) {
            rejected.add(e.getMessage());
        }
    }

    /**
     * @param name a type name.
     * @return the type, or null.
     */
    public StageType find(final String name) {
        return types.get(name);
    }

    /** @return every available type, in discovery order. */
    public List<StageType> types() {
        return List.copyOf(types.values());
    }

    /** @return the available type names, comma separated, for error messages. */
    public String typeNames() {
        return String.join(", ", types.keySet());
    }

    /** @return one message per class that was offered but breaks the contract. */
    public List<String> rejected() {
        return rejected;
    }
}
