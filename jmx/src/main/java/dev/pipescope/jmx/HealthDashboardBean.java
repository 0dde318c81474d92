package dev.pipescope.jmx;

import dev.pipescope.health.HealthDashboard;
import dev.pipescope.health.HealthListener;
import dev.pipescope.health.HealthReason;
import dev.pipescope.health.HealthReport;
import dev.pipescope.health.HealthStatus;

import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adapter of a {@link HealthDashboard} to {@link HealthDashboardMXBean}; sends an
 * {@link AttributeChangeNotification} of {@code Status} on every transition.
 */
final class HealthDashboardBean implements HealthDashboardMXBean, HealthListener {
    private static final String[] ITEMS = {"status", "statusCode", "sequence", "epochMillis", "reasons",
        "bottleneckStage", "bottleneckRps", "meanRecentThroughputRps", "pipelineRps", "batchCount", "recordsIn",
        "recordsOut", "rejected", "degradedRecords", "totalAlerts", "intervalBatches", "intervalMillis",
        "openCircuits", "openCircuitCount", "retriesLast1m", "retriesLast5m", "failuresLast1m",
        "shortCircuitedLast1m", "calibrationCacheHitRate", "heapUsedBytes", "heapCommittedBytes",
        "heapAfterGcBytes", "gcCount", "gcTimeMillis", "gcShare", "allocationRateBytesPerSec", "heapGrowing",
        "heapSlopeBytesPerSec"};
    private static final CompositeType REPORT_TYPE;
    private static final String[] CACHE_COLUMNS = {"cache", "hitRate", "intervalHitRate"};
    private static final CompositeType CACHE_ROW = OpenTypes.composite("CacheHitRate", "A cache's hit rates",
        CACHE_COLUMNS, new String[] {"Cache name", "Hit rate since start (0..1)", "Hit rate over the last interval"},
        new OpenType<?>[] {SimpleType.STRING, SimpleType.DOUBLE, SimpleType.DOUBLE});
    private static final TabularType CACHE_TABLE = OpenTypes.table("CacheHitRates", "Hit rates per cache",
        CACHE_ROW, "cache");

    static {
        final OpenType<?>[] types = new OpenType<?>[ITEMS.length];
        final String[] descriptions = new String[ITEMS.length];
        for (int i = 0; i < ITEMS.length; i++) {
            descriptions[i] = ITEMS[i];
            types[i] = SimpleType.LONG;
        }
        set(types, "status", SimpleType.STRING);
        set(types, "statusCode", SimpleType.INTEGER);
        set(types, "reasons", SimpleType.STRING);
        set(types, "bottleneckStage", SimpleType.STRING);
        set(types, "openCircuits", SimpleType.STRING);
        set(types, "openCircuitCount", SimpleType.INTEGER);
        set(types, "heapGrowing", SimpleType.BOOLEAN);
        for (final String d : new String[] {"bottleneckRps", "meanRecentThroughputRps", "pipelineRps",
            "calibrationCacheHitRate", "gcShare", "allocationRateBytesPerSec", "heapSlopeBytesPerSec"}) {
            set(types, d, SimpleType.DOUBLE);
        }
        REPORT_TYPE = OpenTypes.composite("HealthReport", "A pipeline health report", ITEMS, descriptions, types);
    }

    private static void set(final OpenType<?>[] types, final String item, final OpenType<?> type) {
        for (int i = 0; i < ITEMS.length; i++) {
            if (ITEMS[i].equals(item)) {
                types[i] = type;
                return;
            }
        }
        throw new IllegalArgumentException(item);
    }

    private final HealthDashboard dashboard;
    private final NotificationBroadcasterSupport emitter = new NotificationBroadcasterSupport(
        new MBeanNotificationInfo(new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
            AttributeChangeNotification.class.getName(), "The health status changed"));
    private final AtomicLong sequence = new AtomicLong();
    private final javax.management.ObjectName source;

    HealthDashboardBean(final HealthDashboard dashboard, final javax.management.ObjectName source) {
        this.dashboard = dashboard;
        this.source = source;
    }

    NotificationBroadcasterSupport emitter() {
        return emitter;
    }

    @Override
    public void onStatusChange(final HealthStatus from, final HealthStatus to, final HealthReport report) {
        emitter.sendNotification(new AttributeChangeNotification(source, sequence.incrementAndGet(),
            report.epochMillis(), "health " + from + " -> " + to + ": " + String.join("; ",
                report.reasons().stream().map(HealthReason::message).toArray(String[]::new)),
            "Status", "java.lang.String", from.name(), to.name()));
    }

    private HealthReport r() {
        return dashboard.latest();
    }

    @Override
    public String getStatus() {
        final HealthReport r = r();
        return r == null ? "UNKNOWN" : r.status().name();
    }

    @Override
    public int getStatusCode() {
        final HealthReport r = r();
        return r == null ? -1 : r.status().ordinal();
    }

    @Override
    public String[] getReasons() {
        final HealthReport r = r();
        return r == null ? new String[0] : r.reasons().stream().map(HealthReason::message).toArray(String[]::new);
    }

    @Override
    public String getBottleneckStage() {
        final HealthReport r = r();
        return r == null ? null : r.bottleneckStage();
    }

    @Override
    public double getBottleneckRps() {
        final HealthReport r = r();
        return r == null ? Double.NaN : r.bottleneckRps();
    }

    @Override
    public double getBottleneckP99Micros() {
        final HealthReport r = r();
        return r == null || r.bottleneck() == null ? Double.NaN : r.bottleneck().p99Micros();
    }

    @Override
    public double getMeanRecentThroughputRps() {
        final HealthReport r = r();
        return r == null ? Double.NaN : r.meanRecentThroughputRps();
    }

    @Override
    public double getPipelineRps() {
        final HealthReport r = r();
        return r == null ? Double.NaN : r.pipelineRps();
    }

    @Override
    public String[] getOpenCircuits() {
        final HealthReport r = r();
        return r == null ? new String[0] : r.openCircuits().toArray(new String[0]);
    }

    @Override
    public int getOpenCircuitCount() {
        final HealthReport r = r();
        return r == null ? 0 : r.openCircuits().size();
    }

    @Override
    public long getRetriesLast1m() {
        final HealthReport r = r();
        return r == null ? 0 : r.retriesLast1m();
    }

    @Override
    public long getRetriesLast5m() {
        final HealthReport r = r();
        return r == null ? 0 : r.retriesLast5m();
    }

    @Override
    public long getFailuresLast1m() {
        final HealthReport r = r();
        return r == null ? 0 : r.failuresLast1m();
    }

    @Override
    public long getShortCircuitedLast1m() {
        final HealthReport r = r();
        return r == null ? 0 : r.shortCircuitedLast1m();
    }

    @Override
    public long getTotalAlerts() {
        final HealthReport r = r();
        return r == null ? 0 : r.totalAlerts();
    }

    @Override
    public long getBatchCount() {
        final HealthReport r = r();
        return r == null ? 0 : r.batchCount();
    }

    @Override
    public TabularData getCacheHitRates() {
        final TabularDataSupport table = new TabularDataSupport(CACHE_TABLE);
        final HealthReport r = r();
        if (r != null) {
            for (final Map.Entry<String, Double> e : r.cacheHitRates().entrySet()) {
                try {
                    table.put(new CompositeDataSupport(CACHE_ROW, CACHE_COLUMNS, new Object[] {e.getKey(), e.getValue(),
                        r.intervalCacheHitRates().getOrDefault(e.getKey(), Double.NaN)}));
                } catch (final OpenDataException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return table;
    }

    @Override
    public double getCalibrationCacheHitRate() {
        final HealthReport r = r();
        return r == null ? Double.NaN : r.cacheHitRates().getOrDefault("calibration", Double.NaN);
    }

    @Override
    public long getHeapUsedBytes() {
        final HealthReport r = r();
        return r == null ? 0 : r.memory().heapUsedBytes();
    }

    @Override
    public long getHeapCommittedBytes() {
        final HealthReport r = r();
        return r == null ? 0 : r.memory().heapCommittedBytes();
    }

    @Override
    public long getHeapAfterGcBytes() {
        final HealthReport r = r();
        return r == null ? 0 : r.memory().heapAfterGcBytes();
    }

    @Override
    public long getGcCount() {
        final HealthReport r = r();
        return r == null ? 0 : r.memory().gcCount();
    }

    @Override
    public long getGcTimeMillis() {
        final HealthReport r = r();
        return r == null ? 0 : r.memory().gcTimeMillis();
    }

    @Override
    public double getGcShare() {
        final HealthReport r = r();
        return r == null ? Double.NaN : r.memory().gcShare();
    }

    @Override
    public double getAllocationRateBytesPerSec() {
        final HealthReport r = r();
        return r == null ? Double.NaN : r.memory().allocationRateBytesPerSec();
    }

    @Override
    public boolean isHeapGrowing() {
        final HealthReport r = r();
        return r != null && r.memory().heapGrowing();
    }

    @Override
    public double getHeapSlopeBytesPerSec() {
        final HealthReport r = r();
        return r == null ? Double.NaN : r.memory().heapSlopeBytesPerSec();
    }

    @Override
    public long getReportSequence() {
        final HealthReport r = r();
        return r == null ? 0 : r.sequence();
    }

    @Override
    public CompositeData getLastReport() {
        final HealthReport r = r();
        if (r == null) {
            return null;
        }
        final Object[] values = {r.status().name(), r.status().ordinal(), r.sequence(), r.epochMillis(),
            String.join("\n", r.reasons().stream().map(HealthReason::message).toArray(String[]::new)),
            r.bottleneckStage() == null ? "" : r.bottleneckStage(), r.bottleneckRps(), r.meanRecentThroughputRps(),
            r.pipelineRps(), r.batchCount(), r.recordsIn(), r.recordsOut(), r.rejected(), r.degradedRecords(),
            r.totalAlerts(), r.intervalBatches(), r.intervalMillis(), String.join(",", r.openCircuits()),
            r.openCircuits().size(), r.retriesLast1m(), r.retriesLast5m(), r.failuresLast1m(),
            r.shortCircuitedLast1m(), r.cacheHitRates().getOrDefault("calibration", Double.NaN),
            r.memory().heapUsedBytes(), r.memory().heapCommittedBytes(), r.memory().heapAfterGcBytes(),
            r.memory().gcCount(), r.memory().gcTimeMillis(), r.memory().gcShare(),
            r.memory().allocationRateBytesPerSec(), r.memory().heapGrowing(), r.memory().heapSlopeBytesPerSec()};
        try {
            return new CompositeDataSupport(REPORT_TYPE, ITEMS, values);
        } catch (final OpenDataException e) {
            throw new IllegalStateException("health report does not fit its open type", e);
        }
    }

    @Override
    public void requestReport() {
        dashboard.requestReport();
    }
}
