package dev.pipescope.jmx;

import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularType;

/** Small helpers to build open types, whose checked exceptions cannot happen for our constant types. */
final class OpenTypes {
    private OpenTypes() {
    }

    static CompositeType composite(final String name, final String description, final String[] items,
        final String[] descriptions, final OpenType<?>[] types) {
        try {
            return new CompositeType(name, description, items, descriptions, types);
        } catch (final OpenDataException e) {
            throw new IllegalStateException("bad composite type " + name, e);
        }
    }

    static TabularType table(final String name, final String description, final CompositeType row,
        final String... index) {
        try {
            return new TabularType(name, description, row, index);
        } catch (final OpenDataException e) {
            throw new IllegalStateException("bad tabular type " + name, e);
        }
    }

    static SimpleType<?> simpleTypeOf(final dev.pipescope.stage.ParameterSpec.Kind kind) {
        switch (kind) {
            case DOUBLE: return SimpleType.DOUBLE;
            case INT: return SimpleType.INTEGER;
            case LONG: return SimpleType.LONG;
            default: return SimpleType.BOOLEAN;
        }
    }
}
