package dev.pipescope.benchmarks;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The original design's data model, for {@link DataModelBenchmark}: a record is a map, a batch a list of
 * maps, and each stage returns a new list, written plainly in Java the way the lecture's Python is
 * written:
 *
 * <pre>{@code
 * [r for r in records if self.min_val <= r["value"] <= self.max_val]                  # threshold
 * [{**r, "normalized": (r["value"] - lo) / (hi - lo)} for r in records]               # normalize
 * [{**r, "z_score": z, "is_anomaly": warm and abs(z) > self.z_threshold} ...]         # anomaly
 * }</pre>
 *
 * <p>Each {@code {**r, ...}} is a {@code new HashMap<>(r)} plus a put; numbers are boxed. The three stages
 * compute exactly what {@code threshold}, {@code normalize} and {@code anomaly} compute with their defaults
 * (the z-score against each sensor's running mean and standard deviation, Welford, carried across batches,
 * flagged only after 30 readings), so both models do the same work; {@code DataModelEquivalenceTest}
 * checks they keep and flag the same records. The per-sensor statistics are a small mutable class in a
 * {@code HashMap} — the kindest choice for this model (Python would use a dict of dicts).
 */
public final class RecordAsMapPipeline {
    /** Key of the sensor name. */
    public static final String SENSOR = "sensor";
    /** Key of the epoch-millisecond time stamp. */
    public static final String TIMESTAMP = "timestamp";
    /** Key of the reading. */
    public static final String VALUE = "value";
    /** Key written by normalize. */
    public static final String NORMALIZED = "normalized";
    /** Key written by anomaly. */
    public static final String Z_SCORE = "z_score";
    /** Key written by anomaly. */
    public static final String IS_ANOMALY = "is_anomaly";

    private final double thresholdMin = 20.0;
    private final double thresholdMax = 80.0;
    private final double normalizeMin = 0.0;
    private final double normalizeMax = 100.0;
    private final double zThreshold = 2.5;
    private final long warmup = 30;
    private final double minStdev = 1e-9;
    private final Map<String, RunningStats> stats = new HashMap<>();

    /** Running statistics of one sensor. */
    static final class RunningStats {
        long count;
        double mean;
        double m2;
    }

    /**
     * Converts a columnar batch to the map model (done once, before measuring).
     *
     * @param batch    the records.
     * @param registry names of the sensor ids.
     * @return one map per record: sensor, timestamp, value.
     */
    public static List<Map<String, Object>> toMaps(final RecordBatch batch, final SensorRegistry registry) {
        final List<Map<String, Object>> records = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            final Map<String, Object> r = new HashMap<>();
            r.put(SENSOR, registry.name(batch.sensor[i]));
            r.put(TIMESTAMP, batch.timestamp[i]);
            r.put(VALUE, batch.value[i]);
            records.add(r);
        }
        return records;
    }

    /**
     * Runs the three stages.
     *
     * @param records the input (not modified).
     * @return the records the threshold kept, with normalized value, z-score and anomaly flag.
     */
    public List<Map<String, Object>> process(final List<Map<String, Object>> records) {
        return detectAnomalies(normalize(threshold(records)));
    }

    List<Map<String, Object>> threshold(final List<Map<String, Object>> records) {
        final List<Map<String, Object>> kept = new ArrayList<>();
        for (final Map<String, Object> r : records) {
            final double v = (Double) r.get(VALUE);
            if (thresholdMin <= v && v <= thresholdMax) {
                kept.add(r);
            }
        }
        return kept;
    }

    List<Map<String, Object>> normalize(final List<Map<String, Object>> records) {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Map<String, Object> r : records) {
            final Map<String, Object> copy = new HashMap<>(r);
            copy.put(NORMALIZED, ((Double) r.get(VALUE) - normalizeMin) / (normalizeMax - normalizeMin));
            out.add(copy);
        }
        return out;
    }

    List<Map<String, Object>> detectAnomalies(final List<Map<String, Object>> records) {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Map<String, Object> r : records) {
            final double v = (Double) r.get(VALUE);
            final RunningStats s = stats.computeIfAbsent((String) r.get(SENSOR), k -> new RunningStats());
            double z = 0.0;
            boolean anomaly = false;
            if (s.count >= 2) {
                final double stdev = Math.max(Math.sqrt(s.m2 / (s.count - 1)), minStdev);
                z = (v - s.mean) / stdev;
                anomaly = s.count >= warmup && Math.abs(z) > zThreshold;
            }
            s.count++;
            final double d = v - s.mean;
            s.mean += d / s.count;
            s.m2 += d * (v - s.mean);
            final Map<String, Object> copy = new HashMap<>(r);
            copy.put(Z_SCORE, z);
            copy.put(IS_ANOMALY, anomaly);
            out.add(copy);
        }
        return out;
    }
}
