package dev.pipescope.stage;

/**
 * A stage that flags anomalies: it sets {@code RecordBatch.FLAG_ANOMALY} (and a score) on the records it
 * judges anomalous. Observers find detectors through this interface rather than by class or type name,
 * so a user's detector is treated like the built-in one (for example, the event log names its
 * {@code anomaly_detected} events after it).
 */
public interface AnomalyStage extends Stage {
    /** @return records this stage has flagged since it was opened (processing thread's view). */
    long flaggedTotal();
}
