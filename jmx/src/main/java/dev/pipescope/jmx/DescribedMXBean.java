package dev.pipescope.jmx;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.StandardEmitterMBean;
import java.lang.reflect.Method;

/**
 * An MXBean whose attributes, operations and parameters carry the descriptions and names written with
 * {@link Description} on its interface, and which can emit notifications.
 *
 * @param <T> the MXBean interface.
 */
public class DescribedMXBean<T> extends StandardEmitterMBean {
    private final Class<T> mxbeanInterface;

    /**
     * @param implementation the bean.
     * @param mxbeanInterface its MXBean interface, annotated with {@link Description}.
     * @param emitter        sends its notifications.
     */
    public DescribedMXBean(final T implementation, final Class<T> mxbeanInterface,
        final NotificationBroadcasterSupport emitter) {
        this(implementation, mxbeanInterface, true, emitter);
    }

    /**
     * @param implementation  the bean.
     * @param mxbeanInterface its management interface, annotated with {@link Description}.
     * @param mxbean          true for MXBean type mapping; false for a standard MBean, whose interface then
     *                        returns open data ({@code CompositeData}, {@code TabularData}) it builds itself.
     * @param emitter         sends its notifications.
     */
    public DescribedMXBean(final T implementation, final Class<T> mxbeanInterface, final boolean mxbean,
        final NotificationBroadcasterSupport emitter) {
        super(implementation, mxbeanInterface, mxbean, emitter);
        this.mxbeanInterface = mxbeanInterface;
    }

    @Override
    protected String getDescription(final MBeanInfo info) {
        final Description d = mxbeanInterface.getAnnotation(Description.class);
        return d != null ? d.value() : super.getDescription(info);
    }

    @Override
    protected String getDescription(final MBeanAttributeInfo info) {
        final String name = info.getName();
        for (final String prefix : new String[] {"get", "is"}) {
            final Method m = method(prefix + name);
            if (m != null && m.getAnnotation(Description.class) != null) {
                return m.getAnnotation(Description.class).value();
            }
        }
        final Method setter = method("set" + name);
        if (setter != null && setter.getAnnotation(Description.class) != null) {
            return setter.getAnnotation(Description.class).value();
        }
        return super.getDescription(info);
    }

    @Override
    protected String getDescription(final MBeanOperationInfo info) {
        final Method m = operation(info);
        return m != null && m.getAnnotation(Description.class) != null
            ? m.getAnnotation(Description.class).value() : super.getDescription(info);
    }

    @Override
    protected String getParameterName(final MBeanOperationInfo op, final MBeanParameterInfo param, final int sequence) {
        final Description d = parameterDescription(op, sequence);
        return d != null && !d.name().isEmpty() ? d.name() : super.getParameterName(op, param, sequence);
    }

    @Override
    protected String getDescription(final MBeanOperationInfo op, final MBeanParameterInfo param, final int sequence) {
        final Description d = parameterDescription(op, sequence);
        return d != null ? d.value() : super.getDescription(op, param, sequence);
    }

    @Override
    public MBeanNotificationInfo[] getNotificationInfo() {
        return super.getNotificationInfo();
    }

    private Description parameterDescription(final MBeanOperationInfo op, final int sequence) {
        final Method m = operation(op);
        if (m == null || sequence >= m.getParameterCount()) {
            return null;
        }
        return m.getParameters()[sequence].getAnnotation(Description.class);
    }

    private Method operation(final MBeanOperationInfo info) {
        for (final Method m : mxbeanInterface.getMethods()) {
            if (m.getName().equals(info.getName()) && m.getParameterCount() == info.getSignature().length) {
                return m;
            }
        }
        return null;
    }

    private Method method(final String name) {
        for (final Method m : mxbeanInterface.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        return null;
    }
}
