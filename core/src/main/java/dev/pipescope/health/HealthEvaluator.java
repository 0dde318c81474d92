package dev.pipescope.health;

import dev.pipescope.pipeline.PipelineCounters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The health rules, as a pure function of the figures and of the previous evaluation's {@link State}, so
 * every rule and its hysteresis is testable without a running pipeline or a clock. README's health section
 * lists each code with its subject and its enter and exit rule; in short, root causes first:
 * <ol>
 *   <li>{@code STALLED} (UNHEALTHY): a stage has held the batch in flight beyond the stall timeout;</li>
 *   <li>{@code HEAP_EXHAUSTION} (UNHEALTHY): the live set nears the max, or reaches it soon at its rate;</li>
 *   <li>{@code CIRCUIT_OPEN} (DEGRADED): one reason per dependency, its open breakers and the outage's age;</li>
 *   <li>{@code RETRY_STORM} (DEGRADED): real re-attempts to a dependency above the limit, still happening;</li>
 *   <li>{@code HEAP_GROWING} (DEGRADED): the live set grows; the subject is the allocating stage if any;</li>
 *   <li>{@code STAGE_ALLOCATING} (DEGRADED): a stage allocates on every batch;</li>
 *   <li>{@code GC_PRESSURE} (DEGRADED): collections take too much of the wall time;</li>
 *   <li>{@code THROUGHPUT_DROP} (DEGRADED): a busy stage runs far below its long-run capacity, beyond what
 *       the whole host's slowdown explains;</li>
 *   <li>{@code RECORDS_FAILING} (UNHEALTHY) and {@code DEGRADED_RECORDS} (DEGRADED): effects on records;</li>
 *   <li>context, which changes no status: {@code HOST_SLOWDOWN}, then {@code SOURCE_BOUND} or
 *       {@code BOTTLENECK} (only when not healthy).</li>
 * </ol>
 * A finding enters after its condition held for {@link HealthThresholds#persistence()} consecutive reports
 * and leaves after its (lower) exit condition held as long; stalls, open circuits and heap exhaustion enter
 * at once.
 */
public final class HealthEvaluator {
    private HealthEvaluator() {
    }

    /**
     * The figures one evaluation judges.
     *
     * @param stages       every stage's figures over the interval, with its baseline.
     * @param dependencies every dependency with its breakers and calls.
     * @param interval     what the pipeline counted in the interval.
     * @param stall        the stage holding the batch in flight, or null between batches.
     * @param memory       memory and GC figures.
     */
    public record Inputs(List<StageHealth> stages, List<DependencyHealth> dependencies, PipelineCounters interval,
                         Stall stall, MemoryHealth memory) {
    }

    /**
     * The batch in flight.
     *
     * @param stage       the stage holding it.
     * @param heldMillis  for how long.
     * @param batchNumber its number.
     */
    public record Stall(String stage, long heldMillis, long batchNumber) {
    }

    /**
     * What an evaluation remembers for the next one: the findings in force and, per finding, how many
     * consecutive reports its enter condition (when not in force) or exit condition (when in force) held.
     *
     * @param active  keys ({@code CODE subject}) of the findings in force.
     * @param streaks consecutive reports per key.
     */
    public record State(Set<String> active, Map<String, Integer> streaks) {
        /** Before the first evaluation. */
        public static final State INITIAL = new State(Set.of(), Map.of());

        /** Compact constructor: keeps the collections immutable. */
        public State {
            active = Set.copyOf(active);
            streaks = Map.copyOf(streaks);
        }

        /**
         * @param code    a finding's code.
         * @param subject its subject.
         * @return true when that finding is in force.
         */
        public boolean isActive(final String code, final String subject) {
            return active.contains(code + ' ' + subject);
        }
    }

    /**
     * What the rules found.
     *
     * @param status         the worst status of the findings.
     * @param reasons        the findings, root causes first, context last.
     * @param bottleneck     the busiest stage, or null when none ran or the pipeline is source-bound.
     * @param sourceBound    true when the stages together were busy less than the source-bound share.
     * @param busyShare      the stages' busy shares added up.
     * @param hostSpeedRatio the median capacity ratio of the judged stages (NaN with fewer than 3).
     * @param state          what the next evaluation needs.
     */
    public record Verdict(HealthStatus status, List<HealthReason> reasons, StageHealth bottleneck, boolean sourceBound,
                          double busyShare, double hostSpeedRatio, State state) {
    }

    /**
     * @param in         the figures.
     * @param previous   the previous verdict's state ({@link State#INITIAL} at first).
     * @param thresholds the limits.
     * @return the status, the findings, the bottleneck, and the state for the next evaluation.
     */
    public static Verdict evaluate(final Inputs in, final State previous, final HealthThresholds thresholds) {
        final Judge judge = new Judge(previous);
        final List<HealthReason> reasons = new ArrayList<>();
        final StageHealth allocator = topAllocator(in.stages(), thresholds.allocationPerBatchExit());

        stall(in, thresholds, judge, reasons);
        memory(in.memory(), allocator, thresholds, judge, reasons);
        dependencies(in.dependencies(), thresholds, judge, reasons);
        allocation(in.stages(), thresholds, judge, reasons);
        gc(in.memory(), allocator, thresholds, judge, reasons);
        final double hostRatio = hostSpeedRatio(in.stages(), thresholds);
        throughput(in.stages(), hostRatio, thresholds, judge, reasons);
        records(in, thresholds, judge, reasons);

        HealthStatus status = HealthStatus.HEALTHY;
        for (final HealthReason r : reasons) {
            status = status.worst(r.status());
        }
        if (hostRatio < thresholds.dropExitRatio()) {
            reasons.add(reason(HealthReason.HOST_SLOWDOWN, "host", HealthStatus.HEALTHY,
                "every stage runs at about %.0f%% of its usual capacity: the machine slowed, not one stage",
                hostRatio * 100));
        }
        double busy = 0;
        StageHealth busiest = null;
        for (final StageHealth s : in.stages()) {
            if (!s.hasData()) {
                continue;
            }
            busy += s.busyShare();
            if (busiest == null || s.busyShare() > busiest.busyShare()) {
                busiest = s;
            }
        }
        final boolean sourceBound = busiest != null && busy < thresholds.sourceBoundBusyShare();
        final StageHealth bottleneck = sourceBound ? null : busiest;
        if (status != HealthStatus.HEALTHY && busiest != null) {
            if (sourceBound) {
                reasons.add(reason(HealthReason.SOURCE_BOUND, "pipeline", HealthStatus.HEALTHY,
                    "stages %.0f%% busy: the pipeline waits for its source, no stage is a bottleneck", busy * 100));
            } else {
                reasons.add(reason(HealthReason.BOTTLENECK, busiest.name(), HealthStatus.HEALTHY,
                    "%s p99 %s, %.0f%% busy", busiest.name(), formatMicros(busiest.p99Micros()),
                    busiest.busyShare() * 100));
            }
        }
        reasons.sort(Comparator.comparingInt(HealthReason::rank)); // stable: within a code, the order found
        return new Verdict(status, reasons, bottleneck, sourceBound, busy, hostRatio, judge.next());
    }

    private static void stall(final Inputs in, final HealthThresholds t, final Judge judge,
        final List<HealthReason> reasons) {
        final Stall stall = in.stall();
        final String subject = stall == null ? null : stall.stage();
        if (stall != null && judge.now(HealthReason.STALLED, subject, stall.heldMillis() > t.stallTimeoutMs())) {
            reasons.add(reason(HealthReason.STALLED, subject, HealthStatus.UNHEALTHY,
                "stage %s has held batch %d for %.1f s (stall timeout %.1f s)", subject, stall.batchNumber(),
                stall.heldMillis() / 1e3, t.stallTimeoutMs() / 1e3));
        }
    }

    private static void memory(final MemoryHealth m, final StageHealth allocator, final HealthThresholds t,
        final Judge judge, final List<HealthReason> reasons) {
        final String subject = allocator == null ? "heap" : allocator.name();
        final boolean soon = m.heapGrowing() && m.secondsToExhaustion() < t.exhaustionHorizonSeconds();
        final boolean exhausted = judge.hysteresis(HealthReason.HEAP_EXHAUSTION, "heap",
            m.liveSetShare() > t.liveSetShareEnter() || soon, !(m.liveSetShare() > t.liveSetShareExit()) && !soon, 1);
        if (exhausted) {
            reasons.add(reason(HealthReason.HEAP_EXHAUSTION, subject, HealthStatus.UNHEALTHY,
                "live set %s of its %s limit (%.0f%%)%s%s", mb(m.liveSetBytes()), mb(m.liveSetLimitBytes()),
                m.liveSetShare() * 100, Double.isFinite(m.secondsToExhaustion())
                    ? String.format(Locale.ROOT, ", full in about %.0f s", m.secondsToExhaustion()) : "",
                suspect(allocator)));
            return; // growth is implied
        }
        if (judge.hysteresis(HealthReason.HEAP_GROWING, "heap", m.heapGrowing(), !m.heapGrowing(), 1)) {
            reasons.add(reason(HealthReason.HEAP_GROWING, subject, HealthStatus.DEGRADED,
                "live set growing by %.1f MB/min (now %s of its %s limit)%s", m.heapSlopeBytesPerSec() * 60 / 1e6,
                mb(m.liveSetBytes()), mb(m.liveSetLimitBytes()), suspect(allocator)));
        }
    }

    private static void dependencies(final List<DependencyHealth> dependencies, final HealthThresholds t,
        final Judge judge, final List<HealthReason> reasons) {
        final List<DependencyHealth> byOutage = new ArrayList<>(dependencies);
        byOutage.sort(Comparator.comparingInt((DependencyHealth d) -> d.openBreakers().size()).reversed());
        for (final DependencyHealth d : byOutage) {
            final int open = d.openBreakers().size();
            if (judge.now(HealthReason.CIRCUIT_OPEN, d.name(), open > 0)) {
                if (open == 1) {
                    reasons.add(reason(HealthReason.CIRCUIT_OPEN, d.openBreakers().get(0), HealthStatus.DEGRADED,
                        "%s open for %.1f s", d.openBreakers().get(0), d.outageMillis() / 1e3));
                } else {
                    reasons.add(reason(HealthReason.CIRCUIT_OPEN, d.name(), HealthStatus.DEGRADED,
                        "%s: %d of %d circuits open for %.1f s (%s)", d.name(), open, d.breakers(),
                        d.outageMillis() / 1e3, keys(d.openBreakers())));
                }
            }
        }
        for (final DependencyHealth d : dependencies) {
            if (judge.hysteresis(HealthReason.RETRY_STORM, d.name(),
                d.retriesLast1m() > t.retriesPerMinute() && d.retriesRecent() > 0, d.retriesRecent() == 0, 1)) {
                reasons.add(reason(HealthReason.RETRY_STORM, d.name(), HealthStatus.DEGRADED,
                    "%d retries to %s in the last minute, %d in the last %.0f s (limit %.0f a minute)",
                    d.retriesLast1m(), d.name(), d.retriesRecent(), t.retryQuietMs() / 1e3, t.retriesPerMinute()));
            }
        }
    }

    private static void allocation(final List<StageHealth> stages, final HealthThresholds t, final Judge judge,
        final List<HealthReason> reasons) {
        for (final StageHealth s : stages) {
            if (!s.hasData()) {
                if (judge.keep(HealthReason.STAGE_ALLOCATING, s.name())) {
                    reasons.add(reason(HealthReason.STAGE_ALLOCATING, s.name(), HealthStatus.DEGRADED,
                        "%s allocated on every batch; no batch in this interval to judge it again", s.name()));
                }
                continue;
            }
            if (judge.hysteresis(HealthReason.STAGE_ALLOCATING, s.name(),
                s.allocatedBytesPerBatch() >= t.allocationPerBatchEnter(),
                s.allocatedBytesPerBatch() < t.allocationPerBatchExit(), t.persistence())) {
                reasons.add(reason(HealthReason.STAGE_ALLOCATING, s.name(), HealthStatus.DEGRADED,
                    "%s allocates %s per batch on the hot path (limit %s)", s.name(),
                    bytes(s.allocatedBytesPerBatch()), bytes(t.allocationPerBatchEnter())));
            }
        }
    }

    private static void gc(final MemoryHealth m, final StageHealth allocator, final HealthThresholds t,
        final Judge judge, final List<HealthReason> reasons) {
        if (judge.hysteresis(HealthReason.GC_PRESSURE, "gc", m.gcShare() > t.gcShareEnter(),
            m.gcShare() < t.gcShareExit(), t.persistence())) {
            reasons.add(reason(HealthReason.GC_PRESSURE, "gc", HealthStatus.DEGRADED,
                "GC took %.0f%% of the last interval (%d collections, %d ms; limit %.0f%%)%s", m.gcShare() * 100,
                m.gcCount(), m.gcTimeMillis(), t.gcShareEnter() * 100, allocator == null ? ""
                    : "; " + allocator.name() + " allocates " + bytes(allocator.allocatedBytesPerBatch()) + " per batch"));
        }
    }

    /** The median capacity ratio over the judged stages: how fast the host runs now against usual. */
    private static double hostSpeedRatio(final List<StageHealth> stages, final HealthThresholds t) {
        final double[] ratios = new double[stages.size()];
        int n = 0;
        for (final StageHealth s : stages) {
            if (judged(s, t)) {
                ratios[n++] = s.capacityRatio();
            }
        }
        if (n < 3) {
            return Double.NaN; // with one or two stages a stage's slowdown and the host's cannot be told apart
        }
        Arrays.sort(ratios, 0, n);
        return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
    }

    private static boolean judged(final StageHealth s, final HealthThresholds t) {
        return s.batches() >= t.minBatchesForDrop() && Double.isFinite(s.capacityRatio());
    }

    private static void throughput(final List<StageHealth> stages, final double hostRatio, final HealthThresholds t,
        final Judge judge, final List<HealthReason> reasons) {
        final double host = Double.isFinite(hostRatio) ? Math.min(1, hostRatio) : 1;
        for (final StageHealth s : stages) {
            if (!judged(s, t)) {
                // an interval too thin to judge changes nothing: a drop in force stays, with what is known
                if (judge.keep(HealthReason.THROUGHPUT_DROP, s.name())) {
                    reasons.add(reason(HealthReason.THROUGHPUT_DROP, s.name(), HealthStatus.DEGRADED,
                        "%s below its usual %.0f rps; too few batches in this interval to judge it again", s.name(),
                        s.baselineRps()));
                }
                continue;
            }
            final double ratio = s.capacityRatio() / host; // the part of the slowdown that is the stage's own
            final boolean enter = ratio < t.dropEnterRatio() && s.busyShare() >= t.minBusyShareForDrop();
            if (judge.hysteresis(HealthReason.THROUGHPUT_DROP, s.name(), enter, ratio > t.dropExitRatio(),
                t.persistence())) {
                reasons.add(reason(HealthReason.THROUGHPUT_DROP, s.name(), HealthStatus.DEGRADED,
                    "%s at %.0f rps, %.0f%% of its usual %.0f rps (p99 %s, %.0f%% busy)", s.name(), s.capacityRps(),
                    100 * s.capacityRatio(), s.baselineRps(), formatMicros(s.p99Micros()), s.busyShare() * 100));
            }
        }
    }

    private static void records(final Inputs in, final HealthThresholds t, final Judge judge,
        final List<HealthReason> reasons) {
        final PipelineCounters interval = in.interval();
        if (interval.recordsIn() <= 0) {
            judge.keep(HealthReason.RECORDS_FAILING, "pipeline");
            judge.keep(HealthReason.DEGRADED_RECORDS, "records");
            return;
        }
        final double failing = (double) interval.invalid() / interval.recordsIn();
        if (judge.hysteresis(HealthReason.RECORDS_FAILING, "pipeline", failing > t.failingShareEnter(),
            failing < t.failingShareExit(), t.persistence())) {
            reasons.add(reason(HealthReason.RECORDS_FAILING, "pipeline", HealthStatus.UNHEALTHY,
                "%.0f%% of records in the last interval were invalid (non-finite readings; limit %.0f%%)",
                failing * 100, t.failingShareEnter() * 100));
        }
        final double degraded = (double) interval.degraded() / interval.recordsIn();
        final String subject = failingDependency(in.dependencies());
        if (judge.hysteresis(HealthReason.DEGRADED_RECORDS, "records", degraded > t.degradedShareEnter(),
            degraded < t.degradedShareExit(), 1)) {
            reasons.add(reason(HealthReason.DEGRADED_RECORDS, subject, HealthStatus.DEGRADED,
                "%.1f%% of records passed with a fallback%s (limit %.1f%%)", degraded * 100,
                "pipeline".equals(subject) ? "" : " because " + subject + " is failing", t.degradedShareEnter() * 100));
        }
    }

    private static String failingDependency(final List<DependencyHealth> dependencies) {
        for (final DependencyHealth d : dependencies) {
            if (d.isFailing()) {
                return d.name();
            }
        }
        return "pipeline";
    }

    private static StageHealth topAllocator(final List<StageHealth> stages, final double atLeast) {
        StageHealth top = null;
        for (final StageHealth s : stages) {
            if (s.hasData() && s.allocatedBytesPerBatch() >= atLeast
                && (top == null || s.allocatedBytesPerBatch() > top.allocatedBytesPerBatch())) {
                top = s;
            }
        }
        return top;
    }

    private static String suspect(final StageHealth allocator) {
        return allocator == null ? "" : "; suspect " + allocator.name() + ", allocating "
            + bytes(allocator.allocatedBytesPerBatch()) + " per batch";
    }

    private static String keys(final List<String> breakers) {
        final StringBuilder s = new StringBuilder();
        final int shown = Math.min(breakers.size(), 8);
        for (int i = 0; i < shown; i++) {
            final String b = breakers.get(i);
            final int colon = b.indexOf(':');
            s.append(i == 0 ? "" : ", ").append(colon > 0 ? b.substring(colon + 1) : b);
        }
        if (breakers.size() > shown) {
            s.append(", and ").append(breakers.size() - shown).append(" more");
        }
        return s.toString();
    }

    private static HealthReason reason(final String code, final String subject, final HealthStatus status,
        final String format, final Object... args) {
        return new HealthReason(code, subject, status, code + " " + String.format(Locale.ROOT, format, args));
    }

    private static String mb(final long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String bytes(final double b) {
        if (b >= 1e6) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
        }
        return b >= 1e3 ? String.format(Locale.ROOT, "%.1f KB", b / 1e3) : String.format(Locale.ROOT, "%.0f B", b);
    }

    /**
     * @param micros a latency in microseconds.
     * @return e.g. {@code 850 us} or {@code 3.1 ms}.
     */
    static String formatMicros(final double micros) {
        if (Double.isNaN(micros)) {
            return "n/a";
        }
        return micros >= 1000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1000)
            : String.format(Locale.ROOT, "%.0f us", micros);
    }

    /** Applies enter/exit persistence per finding and collects the next state. */
    private static final class Judge {
        private final State previous;
        private final Set<String> active = new HashSet<>();
        private final Map<String, Integer> streaks = new HashMap<>();

        Judge(final State previous) {
            this.previous = previous;
        }

        /** A finding in force exactly while its condition holds. */
        boolean now(final String code, final String subject, final boolean condition) {
            if (condition) {
                active.add(code + ' ' + subject);
            }
            return condition;
        }

        /**
         * Carries a finding over unchanged (an interval without data to judge it).
         *
         * @return true when the finding stays in force.
         */
        boolean keep(final String code, final String subject) {
            final String key = code + ' ' + subject;
            final boolean wasActive = previous.active().contains(key);
            if (wasActive) {
                active.add(key);
            }
            final Integer streak = previous.streaks().get(key);
            if (streak != null) {
                streaks.put(key, streak);
            }
            return wasActive;
        }

        /**
         * @return true when the finding is in force after this report: it enters once {@code enter} held for
         *         {@code persistence} consecutive reports and leaves once {@code exit} held as long.
         */
        boolean hysteresis(final String code, final String subject, final boolean enter, final boolean exit,
            final int persistence) {
            final String key = code + ' ' + subject;
            final boolean wasActive = previous.active().contains(key);
            final int streak = previous.streaks().getOrDefault(key, 0);
            final boolean condition = wasActive ? exit : enter;
            final int next = condition ? streak + 1 : 0;
            final boolean flips = next >= Math.max(1, persistence);
            final boolean isActive = wasActive != flips;
            if (isActive) {
                active.add(key);
            }
            if (next > 0 && !flips) {
                streaks.put(key, next);
            }
            return isActive;
        }

        State next() {
            return new State(active, streaks);
        }
    }
}
