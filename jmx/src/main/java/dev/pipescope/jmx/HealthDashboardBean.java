package dev.pipescope.jmx;

import dev.pipescope.health.HealthDashboard;
import dev.pipescope.health.HealthReason;
import dev.pipescope.health.HealthReport;
import dev.pipescope.health.HealthStatus;
import dev.pipescope.health.HealthStatusListener;
import dev.pipescope.resilience.ResilientCall;

import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * Adapter of a {@link HealthDashboard} to {@link HealthDashboardMXBean}: every figure comes from the
 * dashboard's latest report, except {@code RetriesLast5m}, which the report no longer carries and which is
 * read from the pipeline's resilient calls when asked (their windows are readable from any thread). Sends an
 * {@link AttributeChangeNotification} of {@code Status} on every status change, the first report's included
 * (old value {@code NONE}).
 */
final class HealthDashboardBean implements HealthDashboardMXBean, HealthStatusListener {
    /** The status of the first report is announced as a change from this. */
    static final String NO_STATUS = "NONE";
    /** {@code Status} before the first report. */
    static final String UNKNOWN = "UNKNOWN";

    private static final long FIVE_MINUTES = TimeUnit.MINUTES.toNanos(5);

    /** One item of the {@code LastReport} composite. */
    private record Item(String name, OpenType<?> type, String description,
                        BiFunction<HealthDashboardBean, HealthReport, Object> value) {
    }

    private static final List<Item> ITEMS = List.of(
        new Item("status", SimpleType.STRING, "HEALTHY, DEGRADED or UNHEALTHY", (b, r) -> r.status().name()),
        new Item("statusCode", SimpleType.INTEGER, "0 HEALTHY, 1 DEGRADED, 2 UNHEALTHY", (b, r) -> statusCode(r.status())),
        new Item("sequence", SimpleType.LONG, "Report number: 1, 2, ...", (b, r) -> r.sequence()),
        new Item("epochMillis", SimpleType.LONG, "When the report was taken (epoch ms)", (b, r) -> r.epochMillis()),
        new Item("reasons", SimpleType.STRING, "Every finding's sentence, root cause first, one per line",
            (b, r) -> String.join("\n", messages(r))),
        new Item("firstReasonCode", SimpleType.STRING, "Code of the root cause, empty when healthy",
            (b, r) -> r.firstReason() == null ? "" : r.firstReason().code()),
        new Item("firstReasonSubject", SimpleType.STRING, "What the root cause is about, empty when healthy",
            (b, r) -> r.firstReason() == null ? "" : r.firstReason().subject()),
        new Item("bottleneckStage", SimpleType.STRING, "Busiest stage, empty when source-bound or idle",
            (b, r) -> r.bottleneckStage() == null ? "" : r.bottleneckStage()),
        new Item("bottleneckRps", SimpleType.DOUBLE, "Bottleneck capacity, records per second of its own time",
            (b, r) -> r.bottleneckRps()),
        new Item("meanRecentThroughputRps", SimpleType.DOUBLE, "Mean bottleneck capacity over the last 10 reports",
            (b, r) -> r.throughput().meanRecentBottleneckRps()),
        new Item("pipelineRps", SimpleType.DOUBLE, "Records in per second of wall time over the interval",
            (b, r) -> r.throughput().pipelineRps()),
        new Item("busyShare", SimpleType.DOUBLE, "Share (0..1) of the interval spent in stages",
            (b, r) -> r.throughput().busyShare()),
        new Item("sourceBound", SimpleType.BOOLEAN, "True when the pipeline mostly waited for its source",
            (b, r) -> r.throughput().sourceBound()),
        new Item("hostSpeedRatio", SimpleType.DOUBLE, "Stages' median capacity against their baselines, NaN unknown",
            (b, r) -> r.throughput().hostSpeedRatio()),
        new Item("batchCount", SimpleType.LONG, "Batches since start", (b, r) -> r.totals().batches()),
        new Item("recordsIn", SimpleType.LONG, "Records in since start", (b, r) -> r.totals().recordsIn()),
        new Item("recordsOut", SimpleType.LONG, "Records out since start", (b, r) -> r.totals().recordsOut()),
        new Item("rejected", SimpleType.LONG, "Input lines rejected since start", (b, r) -> r.totals().rejected()),
        new Item("degradedRecords", SimpleType.LONG, "Records that left degraded since start",
            (b, r) -> r.totals().degraded()),
        new Item("invalidRecords", SimpleType.LONG, "Records that left invalid (non-finite) since start",
            (b, r) -> r.totals().invalid()),
        new Item("totalAlerts", SimpleType.LONG, "Records flagged as anomalies since start", (b, r) -> r.totals().alerts()),
        new Item("intervalBatches", SimpleType.LONG, "Batches in the interval", (b, r) -> r.throughput().intervalBatches()),
        new Item("intervalMillis", SimpleType.LONG, "Length of the interval, ms", (b, r) -> r.throughput().intervalMillis()),
        new Item("openCircuits", SimpleType.STRING, "Breakers not closed, comma-separated",
            (b, r) -> String.join(",", r.openCircuits())),
        new Item("openCircuitCount", SimpleType.INTEGER, "Breakers not closed", (b, r) -> r.openCircuits().size()),
        new Item("retriesLast1m", SimpleType.LONG, "Retries to dependencies in the last minute",
            (b, r) -> r.resilience().retriesLast1m()),
        new Item("retriesLast5m", SimpleType.LONG, "Retries in the last five minutes, read when asked (not in the report)",
            (b, r) -> b.retriesLast5m()),
        new Item("failuresLast1m", SimpleType.LONG, "Failed attempts in the last minute",
            (b, r) -> r.resilience().failuresLast1m()),
        new Item("shortCircuitedLast1m", SimpleType.LONG, "Calls refused by open breakers in the last minute",
            (b, r) -> r.resilience().shortCircuitedLast1m()),
        new Item("calibrationCacheHitRate", SimpleType.DOUBLE, "Calibration cache hit rate since start, NaN unknown",
            (b, r) -> calibrationHitRate(r)),
        new Item("heapUsedBytes", SimpleType.LONG, "Heap in use", (b, r) -> r.memory().heapUsedBytes()),
        new Item("heapCommittedBytes", SimpleType.LONG, "Heap committed", (b, r) -> r.memory().heapCommittedBytes()),
        new Item("heapAfterGcBytes", SimpleType.LONG, "Live set: heap in use after collections, -1 before the first",
            (b, r) -> r.memory().liveSetBytes()),
        new Item("gcCount", SimpleType.LONG, "Collections in the interval", (b, r) -> r.memory().gcCount()),
        new Item("gcTimeMillis", SimpleType.LONG, "Collection time in the interval, ms", (b, r) -> r.memory().gcTimeMillis()),
        new Item("gcShare", SimpleType.DOUBLE, "Share (0..1) of the interval spent collecting", (b, r) -> r.memory().gcShare()),
        new Item("allocationRateBytesPerSec", SimpleType.DOUBLE, "Bytes allocated per second by the measured threads",
            (b, r) -> r.memory().allocationRateBytesPerSec()),
        new Item("heapGrowing", SimpleType.BOOLEAN, "Whether the live set grows steadily", (b, r) -> r.memory().heapGrowing()),
        new Item("heapSlopeBytesPerSec", SimpleType.DOUBLE, "Live set trend, bytes per second",
            (b, r) -> r.memory().heapSlopeBytesPerSec()));

    private static final String[] ITEM_NAMES = ITEMS.stream().map(Item::name).toArray(String[]::new);
    private static final CompositeType REPORT_TYPE = OpenTypes.composite("HealthReport", "A pipeline health report",
        ITEM_NAMES, ITEMS.stream().map(Item::description).toArray(String[]::new),
        ITEMS.stream().map(Item::type).toArray(OpenType<?>[]::new));
    private static final String[] CACHE_COLUMNS = {"cache", "hitRate", "intervalHitRate"};
    private static final CompositeType CACHE_ROW = OpenTypes.composite("CacheHitRate", "A cache's hit rates",
        CACHE_COLUMNS, new String[] {"Cache name", "Hit rate since start (0..1)", "Hit rate over the last interval"},
        new OpenType<?>[] {SimpleType.STRING, SimpleType.DOUBLE, SimpleType.DOUBLE});
    private static final TabularType CACHE_TABLE = OpenTypes.table("CacheHitRates", "Hit rates per cache",
        CACHE_ROW, "cache");

    private final HealthDashboard dashboard;
    private final NotificationBroadcasterSupport emitter = new NotificationBroadcasterSupport(
        new MBeanNotificationInfo(new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
            AttributeChangeNotification.class.getName(),
            "The health status changed (the first report's status comes as a change from NONE)"));
    private final AtomicLong sequence = new AtomicLong();
    private final ObjectName source;

    HealthDashboardBean(final HealthDashboard dashboard, final ObjectName source) {
        this.dashboard = dashboard;
        this.source = source;
    }

    NotificationBroadcasterSupport emitter() {
        return emitter;
    }

    /** Told on the reporter thread; {@code from} is null for the first report. */
    @Override
    public void onStatusChange(final HealthStatus from, final HealthStatus to, final HealthReport report) {
        final String old = from == null ? NO_STATUS : from.name();
        emitter.sendNotification(new AttributeChangeNotification(source, sequence.incrementAndGet(),
            report.epochMillis(), "health " + old + " -> " + to + (report.reasons().isEmpty() ? ""
                : ": " + String.join("; ", messages(report))),
            "Status", String.class.getName(), old, to.name()));
    }

    static int statusCode(final HealthStatus status) {
        switch (status) {
            case HEALTHY: return 0;
            case DEGRADED: return 1;
            default: return 2;
        }
    }

    private static String[] messages(final HealthReport r) {
        return r.reasons().stream().map(HealthReason::message).toArray(String[]::new);
    }

    private static double calibrationHitRate(final HealthReport r) {
        final HealthReport.CacheHealth c = r.caches().get("calibration");
        return c == null ? Double.NaN : c.hitRate();
    }

    private HealthReport r() {
        return dashboard.latest();
    }

    private long retriesLast5m() {
        final long now = dashboard.pipeline().context().nanoClock().nanoTime();
        long n = 0;
        for (final ResilientCall call : dashboard.pipeline().context().metrics().calls()) {
            n += call.retriesInLast(FIVE_MINUTES, now);
        }
        return n;
    }

    @Override
    public String getStatus() {
        final HealthReport r = r();
        return r == null ? UNKNOWN : r.status().name();
    }

    @Override
    public int getStatusCode() {
        final HealthReport r = r();
        return r == null ? -1 : statusCode(r.status());
    }

    @Override
    public String[] getReasons() {
        final HealthReport r = r();
        return r == null ? new String[0] : messages(r);
    }

    @Override
    public String getFirstReasonCode() {
        final HealthReport r = r();
        return r == null || r.firstReason() == null ? null : r.firstReason().code();
    }

    @Override
    public String getFirstReasonSubject() {
        final HealthReport r = r();
        return r == null || r.firstReason() == null ? null : r.firstReason().subject();
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
        return r == null ? Double.NaN : r.throughput().meanRecentBottleneckRps();
    }

    @Override
    public double getPipelineRps() {
        final HealthReport r = r();
        return r == null ? Double.NaN : r.throughput().pipelineRps();
    }

    @Override
    public boolean isSourceBound() {
        final HealthReport r = r();
        return r != null && r.throughput().sourceBound();
    }

    @Override
    public double getHostSpeedRatio() {
        final HealthReport r = r();
        return r == null ? Double.NaN : r.throughput().hostSpeedRatio();
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
        return r == null ? 0 : r.resilience().retriesLast1m();
    }

    @Override
    public long getRetriesLast5m() {
        return retriesLast5m();
    }

    @Override
    public long getFailuresLast1m() {
        final HealthReport r = r();
        return r == null ? 0 : r.resilience().failuresLast1m();
    }

    @Override
    public long getShortCircuitedLast1m() {
        final HealthReport r = r();
        return r == null ? 0 : r.resilience().shortCircuitedLast1m();
    }

    @Override
    public long getTotalAlerts() {
        final HealthReport r = r();
        return r == null ? 0 : r.totals().alerts();
    }

    @Override
    public long getBatchCount() {
        final HealthReport r = r();
        return r == null ? 0 : r.totals().batches();
    }

    @Override
    public TabularData getCacheHitRates() {
        final TabularDataSupport table = new TabularDataSupport(CACHE_TABLE);
        final HealthReport r = r();
        if (r != null) {
            for (final Map.Entry<String, HealthReport.CacheHealth> e : r.caches().entrySet()) {
                try {
                    table.put(new CompositeDataSupport(CACHE_ROW, CACHE_COLUMNS, new Object[] {e.getKey(),
                        e.getValue().hitRate(), e.getValue().intervalHitRate()}));
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
        return r == null ? Double.NaN : calibrationHitRate(r);
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
        return r == null ? -1 : r.memory().liveSetBytes();
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
        final Object[] values = new Object[ITEMS.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ITEMS.get(i).value().apply(this, r);
        }
        try {
            return new CompositeDataSupport(REPORT_TYPE, ITEM_NAMES, values);
        } catch (final OpenDataException e) {
            throw new IllegalStateException("health report does not fit its open type", e);
        }
    }

    @Override
    public void requestReport() {
        dashboard.requestReport();
    }
}
