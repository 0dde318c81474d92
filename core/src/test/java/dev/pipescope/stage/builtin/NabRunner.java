package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs one anomaly stage over every data file of a local checkout of the Numenta Anomaly Benchmark (NAB)
 * and writes, per file, the stage's per-record output as NAB's detectors do:
 * {@code <out>/<detector>/<category>/<detector>_<file>.csv} with columns {@code timestamp,value,anomaly_score}
 * (perf-reports/anomaly-eval/run-nab.sh adds NAB's {@code label} column and calls NAB's scorer).
 *
 * <p>Each file is one sensor in a fresh pipeline holding only that stage, fed in batches of 1024 through
 * {@link Pipeline#process(RecordBatch)}: the same code path as the program. This main exists because the
 * program has no per-record output yet; when it has, the evaluation switches to it.
 *
 * <p>Usage: {@code NabRunner DATA_DIR OUT_DIR DETECTOR STAGE_TYPE MODE [param=value ...]} where MODE is
 * <ul>
 *   <li>{@code score} — {@code anomaly_score} is the stage's score: for {@code adaptive},
 *       {@link AdaptiveAnomalyDetector#score(double)} of its {@code zScore}; for any other stage,
 *       {@code |z| / (1 + |z|)} of its {@code zScore} (a monotone map, so NAB's threshold sweep sees the
 *       same order as the stage's own z threshold);</li>
 *   <li>{@code flags} — {@code anomaly_score} is 1 for a record the stage flagged
 *       ({@code FLAG_ANOMALY}) and 0 otherwise: the stage's decisions with its parameters as given.</li>
 * </ul>
 */
public final class NabRunner {
    /** Records per batch, the program's default. */
    public static final int BATCH = 1024;

    private NabRunner() {
    }

    /**
     * @param args see the class comment.
     * @throws IOException when a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: NabRunner DATA_DIR OUT_DIR DETECTOR STAGE_TYPE score|flags [param=value ...]");
            System.exit(2);
        }
        final Path data = Path.of(args[0]);
        final Path out = Path.of(args[1]).resolve(args[2]);
        final String detector = args[2];
        final String type = args[3];
        final boolean flags = switch (args[4]) {
            case "score" -> false;
            case "flags" -> true;
            default -> throw new IllegalArgumentException("MODE must be score or flags, was " + args[4]);
        };
        final List<String> parameters = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            final int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("parameter must be name=value, was " + args[i]);
            }
            parameters.add(args[i].substring(0, eq));
            parameters.add(args[i].substring(eq + 1));
        }
        final PipelineDefinition definition = PipelineDefinition.empty().stage(type, parameters.toArray(String[]::new));
        final StageCatalog catalog = StageCatalog.discover();
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        long records = 0;
        long flagged = 0;
        for (final Path file : files) {
            final Path relative = data.relativize(file);
            final Path target = out.resolve(relative).resolveSibling(detector + "_" + relative.getFileName());
            Files.createDirectories(target.getParent());
            final long[] counts = runFile(file, target, definition, catalog, type, flags);
            records += counts[0];
            flagged += counts[1];
        }
        System.out.printf("%s: %d files, %d records, %d flagged by %s %s%n", detector, files.size(), records,
            flagged, type, String.join(" ", parameters));
    }

    private static long[] runFile(final Path file, final Path target, final PipelineDefinition definition,
        final StageCatalog catalog, final String type, final boolean flagsMode) throws IOException {
        final List<String> timestamps = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine(); // header: timestamp,value
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                final int comma = line.indexOf(',');
                timestamps.add(line.substring(0, comma));
                values.add(line.substring(comma + 1).trim());
            }
        }
        final SensorRegistry registry = new SensorRegistry(16);
        final int sensor = registry.register("nab");
        final StageContext context = StageContext.system("nab", registry);
        final boolean adaptive = "adaptive".equals(type);
        long flagged = 0;
        try (Pipeline pipeline = Pipeline.assemble("nab", definition, catalog, context);
             BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            w.write("timestamp,value,anomaly_score\n");
            final RecordBatch batch = new RecordBatch(BATCH);
            final int n = values.size();
            for (int start = 0; start < n; start += BATCH) {
                batch.clear();
                final int end = Math.min(n, start + BATCH);
                for (int i = start; i < end; i++) {
                    batch.add(sensor, i, i + 1L, Double.parseDouble(values.get(i)));
                }
                pipeline.process(batch);
                if (batch.size() != end - start) {
                    throw new IllegalStateException("stage '" + type + "' dropped records; NAB needs one score per record");
                }
                for (int k = 0; k < batch.size(); k++) {
                    final int i = start + k;
                    final boolean isAnomaly = (batch.flags[k] & RecordBatch.FLAG_ANOMALY) != 0;
                    if (isAnomaly) {
                        flagged++;
                    }
                    final double z = batch.zScore[k];
                    final double score;
                    if (flagsMode) {
                        score = isAnomaly ? 1.0 : 0.0;
                    } else if (Double.isNaN(z)) {
                        score = 0.0;
                    } else if (adaptive) {
                        score = AdaptiveAnomalyDetector.score(z);
                    } else {
                        score = Math.abs(z) / (1.0 + Math.abs(z));
                    }
                    w.write(timestamps.get(i));
                    w.write(',');
                    w.write(values.get(i));
                    w.write(',');
                    w.write(Double.toString(score));
                    w.write('\n');
                }
            }
        } catch (final UncheckedIOException e) {
            throw e.getCause();
        }
        return new long[] {values.size(), flagged};
    }
}
