package dev.pipescope.benchmarks;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.pipescope.log.JsonKey;
import dev.pipescope.log.JsonLogEncoder;
import dev.pipescope.log.JsonStrings;
import dev.pipescope.log.LogFormat;
import dev.pipescope.log.LogLevel;
import org.apache.logging.log4j.core.config.NullConfiguration;
import org.apache.logging.log4j.core.impl.MutableLogEvent;
import org.apache.logging.log4j.core.layout.ByteBufferDestination;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.MapMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two events of the JSON encoding suite and one writer per contender, each producing the same JSON line
 * (UTF-8, ending in {@code '\n'}) from the same values: {@code JsonEncodingEquivalenceTest} parses every
 * writer's line with Jackson and compares the fields, so the comparison is of equal output.
 *
 * <p>The values are constants of this class (as a caller's fields would be); only the timestamp changes per
 * line. Where ours writes a double with a fixed number of decimals ({@code field(key, value, decimals)}), the
 * others are handed the value rounded to as many decimals ({@link #round(double, int)}) and write it their
 * usual way; {@code String.format} uses {@code %.Nf}.
 */
public final class JsonEventWriters {
    private JsonEventWriters() {
    }

    // ------------------------------------------------------------------ the events' content

    /** Level of both events. */
    public static final String LEVEL = "INFO";
    /** Component (logger) of {@code stage_completed}. */
    public static final String STAGE_COMPONENT = "normalize";
    /** Component (logger) of {@code pipeline_health}: the pipeline's name. */
    public static final String PIPELINE_COMPONENT = "sensors";
    /** Event name. */
    public static final String STAGE_COMPLETED = "stage_completed";
    /** Event name. */
    public static final String PIPELINE_HEALTH = "pipeline_health";

    // The values: not final, so the JIT cannot fold them (or the arithmetic on them) into constants; a
    // caller's values are runtime values. Never changed.
    static int RECORDS_IN = 1024;
    static int RECORDS_OUT = 1019;
    static long ELAPSED_NANOS = 12_345;
    
    static final String STATUS = "DEGRADED";
    static long BATCH_COUNT = 123_456;
    static long TOTAL_ALERTS = 789;
    static final String OPEN_CIRCUIT = "calibration-service";
    static final String BOTTLENECK_STAGE = "anomaly";
    static double BOTTLENECK_RPS = 41_234_567.891;
    static double MEAN_RECENT_RPS = 29_876_543.219;
    static final String CACHE_1 = "calibration";
    static double CACHE_1_HIT_RATE = 0.987_654;
    static final String CACHE_2 = "lookup";
    static double CACHE_2_HIT_RATE = 0.5;
    static long RETRIES_1M = 3;
    static long RETRIES_5M = 17;
    static final String REASON_1 = "circuit calibration-service is OPEN";
    static final String REASON_2 = "stage \"anomaly\" p99 latency 812.5 \u00b5s above the 500 \u00b5s threshold";
    static long HEAP_USED_KB = 123_456;
    static long HEAP_COMMITTED_KB = 262_144;
    static long GC_COUNT = 42;
    static double GC_SHARE = 0.012_345;
    static boolean HEAP_GROWING = false;

    /**
     * @param value    a double.
     * @param decimals decimals to keep.
     * @return the value rounded half-up to that many decimals, as the others are handed it.
     */
    public static double round(final double value, final int decimals) {
        final double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** One contender: writes either event into its own reused buffer. */
    public interface Writer {
        /**
         * @param epochMillis the event time.
         * @return the line's length in bytes.
         */
        int stageCompleted(long epochMillis);

        /**
         * @param epochMillis the event time.
         * @return the line's length in bytes.
         */
        int pipelineHealth(long epochMillis);

        /** @return a copy of the last line (tests only; allocates). */
        byte[] lastLine();
    }

    // ------------------------------------------------------------------ ours

    /** Ours: {@link JsonLogEncoder} into its own buffer (what a {@code StructuredLogger} hands its sink). */
    public static final class Ours implements Writer {
        // The product's constant keys, encoded once as PipelineEventLog does; the cache names stay Strings
        // (PipelineEventLog writes them from the health report's map).
        private static final JsonKey K_RECORDS_IN = JsonKey.of("recordsIn");
        private static final JsonKey K_RECORDS_OUT = JsonKey.of("recordsOut");
        private static final JsonKey K_ELAPSED_MS = JsonKey.of("elapsedMs");
        private static final JsonKey K_THROUGHPUT_RPS = JsonKey.of("throughputRps");
        private static final JsonKey K_STATUS = JsonKey.of("status");
        private static final JsonKey K_BATCH_COUNT = JsonKey.of("batchCount");
        private static final JsonKey K_TOTAL_ALERTS = JsonKey.of("totalAlerts");
        private static final JsonKey K_OPEN_CIRCUITS = JsonKey.of("openCircuits");
        private static final JsonKey K_BOTTLENECK_STAGE = JsonKey.of("bottleneckStage");
        private static final JsonKey K_BOTTLENECK_RPS = JsonKey.of("bottleneckRps");
        private static final JsonKey K_MEAN_RECENT_THROUGHPUT_RPS = JsonKey.of("meanRecentThroughputRps");
        private static final JsonKey K_CACHE_HIT_RATES = JsonKey.of("cacheHitRates");
        private static final JsonKey K_RETRIES_LAST1M = JsonKey.of("retriesLast1m");
        private static final JsonKey K_RETRIES_LAST5M = JsonKey.of("retriesLast5m");
        private static final JsonKey K_REASONS = JsonKey.of("reasons");
        private static final JsonKey K_MEMORY = JsonKey.of("memory");
        private static final JsonKey K_HEAP_USED_KB = JsonKey.of("heapUsedKb");
        private static final JsonKey K_HEAP_COMMITTED_KB = JsonKey.of("heapCommittedKb");
        private static final JsonKey K_GC_COUNT = JsonKey.of("gcCount");
        private static final JsonKey K_GC_SHARE = JsonKey.of("gcShare");
        private static final JsonKey K_HEAP_GROWING = JsonKey.of("heapGrowing");
        private final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());
        private final byte[] stageComponent = JsonStrings.quotedUtf8(STAGE_COMPONENT);
        private final byte[] pipelineComponent = JsonStrings.quotedUtf8(PIPELINE_COMPONENT);

        @Override
        public int stageCompleted(final long epochMillis) {
            return encoder.begin(epochMillis, LogLevel.INFO, stageComponent, STAGE_COMPLETED)
                .field(K_RECORDS_IN, RECORDS_IN)
                .field(K_RECORDS_OUT, RECORDS_OUT)
                .field(K_ELAPSED_MS, ELAPSED_NANOS / 1e6, 3)
                .field(K_THROUGHPUT_RPS, RECORDS_OUT * 1e9 / ELAPSED_NANOS, 1)
                .end();
        }

        @Override
        public int pipelineHealth(final long epochMillis) {
            final JsonLogEncoder e = encoder.begin(epochMillis, LogLevel.INFO, pipelineComponent, PIPELINE_HEALTH);
            e.field(K_STATUS, STATUS)
                .field(K_BATCH_COUNT, BATCH_COUNT)
                .field(K_TOTAL_ALERTS, TOTAL_ALERTS)
                .beginArray(K_OPEN_CIRCUITS).item(OPEN_CIRCUIT).endArray()
                .field(K_BOTTLENECK_STAGE, BOTTLENECK_STAGE)
                .field(K_BOTTLENECK_RPS, BOTTLENECK_RPS, 1)
                .field(K_MEAN_RECENT_THROUGHPUT_RPS, MEAN_RECENT_RPS, 1)
                .beginObject(K_CACHE_HIT_RATES)
                .field(CACHE_1, CACHE_1_HIT_RATE, 4)
                .field(CACHE_2, CACHE_2_HIT_RATE, 4)
                .endObject()
                .field(K_RETRIES_LAST1M, RETRIES_1M)
                .field(K_RETRIES_LAST5M, RETRIES_5M)
                .beginArray(K_REASONS).item(REASON_1).item(REASON_2).endArray()
                .beginObject(K_MEMORY)
                .field(K_HEAP_USED_KB, HEAP_USED_KB)
                .field(K_HEAP_COMMITTED_KB, HEAP_COMMITTED_KB)
                .field(K_GC_COUNT, GC_COUNT)
                .field(K_GC_SHARE, GC_SHARE, 4)
                .field(K_HEAP_GROWING, HEAP_GROWING)
                .endObject();
            return e.end();
        }

        @Override
        public byte[] lastLine() {
            final byte[] line = new byte[encoder.length()];
            encoder.buffer().getBytes(0, line);
            return line;
        }
    }

    // ------------------------------------------------------------------ Jackson

    /**
     * Jackson's streaming {@link JsonGenerator}, created once and reused, writing to a reused in-memory stream
     * that is reset per line; field names pre-serialized ({@link SerializedString}), the fast double writer
     * on, and the timestamp formatted by {@link IsoMillis} into a reused {@code char[]} (garbage-free, which
     * favours Jackson: its users usually format an {@code Instant}).
     */
    public static final class Jackson implements Writer {
        private static final SerializableString TIMESTAMP = new SerializedString("timestamp");
        private static final SerializableString LEVEL_KEY = new SerializedString("level");
        private static final SerializableString COMPONENT = new SerializedString("component");
        private static final SerializableString EVENT = new SerializedString("event");
        private static final SerializableString K_RECORDS_IN = new SerializedString("recordsIn");
        private static final SerializableString K_RECORDS_OUT = new SerializedString("recordsOut");
        private static final SerializableString K_ELAPSED_MS = new SerializedString("elapsedMs");
        private static final SerializableString K_THROUGHPUT = new SerializedString("throughputRps");
        private static final SerializableString K_STATUS = new SerializedString("status");
        private static final SerializableString K_BATCH_COUNT = new SerializedString("batchCount");
        private static final SerializableString K_TOTAL_ALERTS = new SerializedString("totalAlerts");
        private static final SerializableString K_OPEN_CIRCUITS = new SerializedString("openCircuits");
        private static final SerializableString K_BOTTLENECK_STAGE = new SerializedString("bottleneckStage");
        private static final SerializableString K_BOTTLENECK_RPS = new SerializedString("bottleneckRps");
        private static final SerializableString K_MEAN_RPS = new SerializedString("meanRecentThroughputRps");
        private static final SerializableString K_CACHE_HIT_RATES = new SerializedString("cacheHitRates");
        private static final SerializableString K_CACHE_1 = new SerializedString(CACHE_1);
        private static final SerializableString K_CACHE_2 = new SerializedString(CACHE_2);
        private static final SerializableString K_RETRIES_1M = new SerializedString("retriesLast1m");
        private static final SerializableString K_RETRIES_5M = new SerializedString("retriesLast5m");
        private static final SerializableString K_REASONS = new SerializedString("reasons");
        private static final SerializableString K_MEMORY = new SerializedString("memory");
        private static final SerializableString K_HEAP_USED = new SerializedString("heapUsedKb");
        private static final SerializableString K_HEAP_COMMITTED = new SerializedString("heapCommittedKb");
        private static final SerializableString K_GC_COUNT = new SerializedString("gcCount");
        private static final SerializableString K_GC_SHARE = new SerializedString("gcShare");
        private static final SerializableString K_HEAP_GROWING = new SerializedString("heapGrowing");

        private final Buffer out = new Buffer(8192);
        private final JsonGenerator generator;
        private final char[] timestamp = new char[IsoMillis.LENGTH];

        /** Creates the factory and the one generator. */
        public Jackson() {
            final JsonFactory factory = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
            try {
                generator = factory.createGenerator(out, JsonEncoding.UTF8);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            generator.setRootValueSeparator(null);
        }

        private void header(final long epochMillis, final String component, final String event) throws IOException {
            out.reset();
            final JsonGenerator g = generator;
            g.writeStartObject();
            g.writeFieldName(TIMESTAMP);
            IsoMillis.format(epochMillis, timestamp);
            g.writeString(timestamp, 0, IsoMillis.LENGTH);
            g.writeFieldName(LEVEL_KEY);
            g.writeString(LEVEL);
            g.writeFieldName(COMPONENT);
            g.writeString(component);
            g.writeFieldName(EVENT);
            g.writeString(event);
        }

        private int finish() throws IOException {
            generator.writeEndObject();
            generator.writeRaw('\n');
            generator.flush();
            return out.size();
        }

        @Override
        public int stageCompleted(final long epochMillis) {
            try {
                header(epochMillis, STAGE_COMPONENT, STAGE_COMPLETED);
                final JsonGenerator g = generator;
                g.writeFieldName(K_RECORDS_IN);
                g.writeNumber(RECORDS_IN);
                g.writeFieldName(K_RECORDS_OUT);
                g.writeNumber(RECORDS_OUT);
                g.writeFieldName(K_ELAPSED_MS);
                g.writeNumber(round(ELAPSED_NANOS / 1e6, 3));
                g.writeFieldName(K_THROUGHPUT);
                g.writeNumber(round(RECORDS_OUT * 1e9 / ELAPSED_NANOS, 1));
                return finish();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int pipelineHealth(final long epochMillis) {
            try {
                header(epochMillis, PIPELINE_COMPONENT, PIPELINE_HEALTH);
                final JsonGenerator g = generator;
                g.writeFieldName(K_STATUS);
                g.writeString(STATUS);
                g.writeFieldName(K_BATCH_COUNT);
                g.writeNumber(BATCH_COUNT);
                g.writeFieldName(K_TOTAL_ALERTS);
                g.writeNumber(TOTAL_ALERTS);
                g.writeFieldName(K_OPEN_CIRCUITS);
                g.writeStartArray();
                g.writeString(OPEN_CIRCUIT);
                g.writeEndArray();
                g.writeFieldName(K_BOTTLENECK_STAGE);
                g.writeString(BOTTLENECK_STAGE);
                g.writeFieldName(K_BOTTLENECK_RPS);
                g.writeNumber(round(BOTTLENECK_RPS, 1));
                g.writeFieldName(K_MEAN_RPS);
                g.writeNumber(round(MEAN_RECENT_RPS, 1));
                g.writeFieldName(K_CACHE_HIT_RATES);
                g.writeStartObject();
                g.writeFieldName(K_CACHE_1);
                g.writeNumber(round(CACHE_1_HIT_RATE, 4));
                g.writeFieldName(K_CACHE_2);
                g.writeNumber(round(CACHE_2_HIT_RATE, 4));
                g.writeEndObject();
                g.writeFieldName(K_RETRIES_1M);
                g.writeNumber(RETRIES_1M);
                g.writeFieldName(K_RETRIES_5M);
                g.writeNumber(RETRIES_5M);
                g.writeFieldName(K_REASONS);
                g.writeStartArray();
                g.writeString(REASON_1);
                g.writeString(REASON_2);
                g.writeEndArray();
                g.writeFieldName(K_MEMORY);
                g.writeStartObject();
                g.writeFieldName(K_HEAP_USED);
                g.writeNumber(HEAP_USED_KB);
                g.writeFieldName(K_HEAP_COMMITTED);
                g.writeNumber(HEAP_COMMITTED_KB);
                g.writeFieldName(K_GC_COUNT);
                g.writeNumber(GC_COUNT);
                g.writeFieldName(K_GC_SHARE);
                g.writeNumber(round(GC_SHARE, 4));
                g.writeFieldName(K_HEAP_GROWING);
                g.writeBoolean(HEAP_GROWING);
                g.writeEndObject();
                return finish();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public byte[] lastLine() {
            return out.toByteArray();
        }

        /** A {@link ByteArrayOutputStream} whose buffer is reused ({@code reset()} keeps it). */
        static final class Buffer extends ByteArrayOutputStream {
            Buffer(final int size) {
                super(size);
            }
        }
    }

    // ------------------------------------------------------------------ Log4j2

    /**
     * Log4j2's {@link JsonTemplateLayout} in its garbage-free mode (thread-locals and direct encoders on, as
     * the suite's forks set), encoding a reused {@link MutableLogEvent} whose {@link MapMessage} holds the
     * event's fields, built once (the values do not change, as in the other writers) and flattened into the
     * line by the {@code map} resolver; per line only the event's time is set. The layout writes to a reused
     * {@link ByteBufferDestination} through {@code layout.encode(event, destination)}, its garbage-free
     * path. Log4j2 writes keys of a {@code MapMessage} in sorted order; JSON objects are unordered.
     */
    public static final class Log4j2 implements Writer {
        static {
            // The garbage-free mode; the forks set both on the command line too. Read when Log4j's
            // constants class initializes, so set before any Log4j class is touched in this JVM.
            System.setProperty("log4j2.enable.threadlocals", System.getProperty("log4j2.enable.threadlocals", "true"));
            System.setProperty("log4j2.enableDirectEncoders", System.getProperty("log4j2.enableDirectEncoders", "true"));
        }

        /** The event template: the four standard fields, then the message's map flattened in. */
        static final String TEMPLATE = "{"
            + "\"timestamp\":{\"$resolver\":\"timestamp\",\"pattern\":{\"format\":\"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\","
            + "\"timeZone\":\"UTC\"}},"
            + "\"level\":{\"$resolver\":\"level\",\"field\":\"name\"},"
            + "\"component\":{\"$resolver\":\"logger\",\"field\":\"name\"},"
            + "\"fields\":{\"$resolver\":\"map\",\"flatten\":true}"
            + "}";

        private final JsonTemplateLayout layout;
        private final MutableLogEvent stageEvent = new MutableLogEvent();
        private final MutableLogEvent healthEvent = new MutableLogEvent();
        private final Destination destination = new Destination(16 * 1024);

        /** Builds the layout and the two events. */
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Log4j2() {
            final NullConfiguration configuration = new NullConfiguration();
            layout = JsonTemplateLayout.newBuilder()
                .setConfiguration(configuration)
                .setCharset(StandardCharsets.UTF_8)
                .setEventTemplate(TEMPLATE)
                .setLocationInfoEnabled(false)
                .setStackTraceEnabled(false)
                .setEventDelimiter("\n")
                .build();

            final Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("event", STAGE_COMPLETED);
            stage.put("recordsIn", RECORDS_IN);
            stage.put("recordsOut", RECORDS_OUT);
            stage.put("elapsedMs", round(ELAPSED_NANOS / 1e6, 3));
            stage.put("throughputRps", round(RECORDS_OUT * 1e9 / ELAPSED_NANOS, 1));
            stageEvent.setLoggerName(STAGE_COMPONENT);
            stageEvent.setLevel(org.apache.logging.log4j.Level.INFO);
            stageEvent.setMessage(new MapMessage(stage));

            final Map<String, Object> cache = new LinkedHashMap<>();
            cache.put(CACHE_1, round(CACHE_1_HIT_RATE, 4));
            cache.put(CACHE_2, round(CACHE_2_HIT_RATE, 4));
            final Map<String, Object> memory = new LinkedHashMap<>();
            memory.put("heapUsedKb", HEAP_USED_KB);
            memory.put("heapCommittedKb", HEAP_COMMITTED_KB);
            memory.put("gcCount", GC_COUNT);
            memory.put("gcShare", round(GC_SHARE, 4));
            memory.put("heapGrowing", HEAP_GROWING);
            final Map<String, Object> health = new LinkedHashMap<>();
            health.put("event", PIPELINE_HEALTH);
            health.put("status", STATUS);
            health.put("batchCount", BATCH_COUNT);
            health.put("totalAlerts", TOTAL_ALERTS);
            health.put("openCircuits", List.of(OPEN_CIRCUIT));
            health.put("bottleneckStage", BOTTLENECK_STAGE);
            health.put("bottleneckRps", round(BOTTLENECK_RPS, 1));
            health.put("meanRecentThroughputRps", round(MEAN_RECENT_RPS, 1));
            health.put("cacheHitRates", cache);
            health.put("retriesLast1m", RETRIES_1M);
            health.put("retriesLast5m", RETRIES_5M);
            health.put("reasons", List.of(REASON_1, REASON_2));
            health.put("memory", memory);
            healthEvent.setLoggerName(PIPELINE_COMPONENT);
            healthEvent.setLevel(org.apache.logging.log4j.Level.INFO);
            healthEvent.setMessage(new MapMessage(health));
        }

        @Override
        public int stageCompleted(final long epochMillis) {
            stageEvent.setTimeMillis(epochMillis);
            destination.buffer.clear();
            layout.encode(stageEvent, destination);
            return destination.buffer.position();
        }

        @Override
        public int pipelineHealth(final long epochMillis) {
            healthEvent.setTimeMillis(epochMillis);
            destination.buffer.clear();
            layout.encode(healthEvent, destination);
            return destination.buffer.position();
        }

        @Override
        public byte[] lastLine() {
            if (destination.drained != 0) {
                throw new IllegalStateException("the destination overflowed");
            }
            return Arrays.copyOf(destination.buffer.array(), destination.buffer.position());
        }

        /** A reused heap buffer; sized so that a line never needs draining. */
        static final class Destination implements ByteBufferDestination {
            final ByteBuffer buffer;
            long drained;

            Destination(final int capacity) {
                buffer = ByteBuffer.allocate(capacity);
            }

            @Override
            public ByteBuffer getByteBuffer() {
                return buffer;
            }

            @Override
            public ByteBuffer drain(final ByteBuffer buf) {
                buf.flip();
                drained += buf.remaining();
                buf.clear();
                return buf;
            }

            @Override
            public void writeBytes(final ByteBuffer data) {
                if (data.remaining() > buffer.remaining()) {
                    drain(buffer);
                }
                buffer.put(data);
            }

            @Override
            public void writeBytes(final byte[] data, final int offset, final int length) {
                if (length > buffer.remaining()) {
                    drain(buffer);
                }
                buffer.put(data, offset, length);
            }
        }
    }

    // ------------------------------------------------------------------ plain StringBuilder

    /**
     * Plain Java: a reused {@link StringBuilder} with appends (no {@code String.format}), string values
     * escaped by a small loop, doubles rounded and appended, the timestamp by {@link IsoMillis}; then the
     * JDK's UTF-8 {@link CharsetEncoder} into a reused byte buffer, so it too ends with the line's bytes.
     */
    public static final class PlainStringBuilder implements Writer {
        private final StringBuilder sb = new StringBuilder(1024);
        private final char[] chars = new char[8192];
        private final CharBuffer charView = CharBuffer.wrap(chars);
        private final ByteBuffer bytes = ByteBuffer.allocate(3 * 8192);
        private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder();
        private final char[] timestamp = new char[IsoMillis.LENGTH];

        private void header(final long epochMillis, final String component, final String event) {
            final StringBuilder b = sb;
            b.setLength(0);
            b.append("{\"timestamp\":\"");
            IsoMillis.format(epochMillis, timestamp);
            b.append(timestamp, 0, IsoMillis.LENGTH);
            b.append("\",\"level\":");
            quote(b, LEVEL);
            b.append(",\"component\":");
            quote(b, component);
            b.append(",\"event\":");
            quote(b, event);
        }

        private int finish() {
            sb.append("}\n");
            final int n = sb.length();
            sb.getChars(0, n, chars, 0);
            charView.clear().limit(n);
            bytes.clear();
            utf8.reset();
            utf8.encode(charView, bytes, true);
            utf8.flush(bytes);
            return bytes.position();
        }

        @Override
        public int stageCompleted(final long epochMillis) {
            header(epochMillis, STAGE_COMPONENT, STAGE_COMPLETED);
            sb.append(",\"recordsIn\":").append(RECORDS_IN)
                .append(",\"recordsOut\":").append(RECORDS_OUT)
                .append(",\"elapsedMs\":").append(round(ELAPSED_NANOS / 1e6, 3))
                .append(",\"throughputRps\":").append(round(RECORDS_OUT * 1e9 / ELAPSED_NANOS, 1));
            return finish();
        }

        @Override
        public int pipelineHealth(final long epochMillis) {
            header(epochMillis, PIPELINE_COMPONENT, PIPELINE_HEALTH);
            final StringBuilder b = sb;
            b.append(",\"status\":");
            quote(b, STATUS);
            b.append(",\"batchCount\":").append(BATCH_COUNT)
                .append(",\"totalAlerts\":").append(TOTAL_ALERTS)
                .append(",\"openCircuits\":[");
            quote(b, OPEN_CIRCUIT);
            b.append("],\"bottleneckStage\":");
            quote(b, BOTTLENECK_STAGE);
            b.append(",\"bottleneckRps\":").append(round(BOTTLENECK_RPS, 1))
                .append(",\"meanRecentThroughputRps\":").append(round(MEAN_RECENT_RPS, 1))
                .append(",\"cacheHitRates\":{");
            quote(b, CACHE_1);
            b.append(':').append(round(CACHE_1_HIT_RATE, 4)).append(',');
            quote(b, CACHE_2);
            b.append(':').append(round(CACHE_2_HIT_RATE, 4))
                .append("},\"retriesLast1m\":").append(RETRIES_1M)
                .append(",\"retriesLast5m\":").append(RETRIES_5M)
                .append(",\"reasons\":[");
            quote(b, REASON_1);
            b.append(',');
            quote(b, REASON_2);
            b.append("],\"memory\":{\"heapUsedKb\":").append(HEAP_USED_KB)
                .append(",\"heapCommittedKb\":").append(HEAP_COMMITTED_KB)
                .append(",\"gcCount\":").append(GC_COUNT)
                .append(",\"gcShare\":").append(round(GC_SHARE, 4))
                .append(",\"heapGrowing\":").append(HEAP_GROWING)
                .append('}');
            return finish();
        }

        @Override
        public byte[] lastLine() {
            return Arrays.copyOf(bytes.array(), bytes.position());
        }
    }

    /**
     * Appends a JSON string literal: quotes, backslashes and control characters escaped (what a plain
     * implementation must do at least to stay valid JSON).
     */
    static void quote(final StringBuilder b, final String s) {
        b.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    // ------------------------------------------------------------------ String.format

    /**
     * The naive way: {@code String.format} with {@code %.Nf} for the doubles, the timestamp through a
     * {@link DateTimeFormatter}, string values quoted into new strings, then {@code getBytes(UTF_8)}.
     */
    public static final class StringFormat implements Writer {
        private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
        private static final String STAGE = "{\"timestamp\":\"%s\",\"level\":%s,\"component\":%s,\"event\":%s,"
            + "\"recordsIn\":%d,\"recordsOut\":%d,\"elapsedMs\":%.3f,\"throughputRps\":%.1f}\n";
        private static final String HEALTH = "{\"timestamp\":\"%s\",\"level\":%s,\"component\":%s,\"event\":%s,"
            + "\"status\":%s,\"batchCount\":%d,\"totalAlerts\":%d,\"openCircuits\":[%s],\"bottleneckStage\":%s,"
            + "\"bottleneckRps\":%.1f,\"meanRecentThroughputRps\":%.1f,\"cacheHitRates\":{%s:%.4f,%s:%.4f},"
            + "\"retriesLast1m\":%d,\"retriesLast5m\":%d,\"reasons\":[%s,%s],\"memory\":{\"heapUsedKb\":%d,"
            + "\"heapCommittedKb\":%d,\"gcCount\":%d,\"gcShare\":%.4f,\"heapGrowing\":%b}}\n";

        private byte[] last = new byte[0];

        private static String q(final String s) {
            final StringBuilder b = new StringBuilder(s.length() + 2);
            quote(b, s);
            return b.toString();
        }

        @Override
        public int stageCompleted(final long epochMillis) {
            last = String.format(Locale.ROOT, STAGE, ISO.format(Instant.ofEpochMilli(epochMillis)),
                q(LEVEL), q(STAGE_COMPONENT), q(STAGE_COMPLETED), RECORDS_IN, RECORDS_OUT, ELAPSED_NANOS / 1e6,
                RECORDS_OUT * 1e9 / ELAPSED_NANOS).getBytes(StandardCharsets.UTF_8);
            return last.length;
        }

        @Override
        public int pipelineHealth(final long epochMillis) {
            last = String.format(Locale.ROOT, HEALTH, ISO.format(Instant.ofEpochMilli(epochMillis)), q(LEVEL),
                q(PIPELINE_COMPONENT), q(PIPELINE_HEALTH), q(STATUS), BATCH_COUNT, TOTAL_ALERTS, q(OPEN_CIRCUIT),
                q(BOTTLENECK_STAGE), BOTTLENECK_RPS, MEAN_RECENT_RPS, q(CACHE_1), CACHE_1_HIT_RATE, q(CACHE_2),
                CACHE_2_HIT_RATE, RETRIES_1M, RETRIES_5M, q(REASON_1), q(REASON_2), HEAP_USED_KB, HEAP_COMMITTED_KB,
                GC_COUNT, GC_SHARE, HEAP_GROWING).getBytes(StandardCharsets.UTF_8);
            return last.length;
        }

        @Override
        public byte[] lastLine() {
            return last.clone();
        }
    }

    // ------------------------------------------------------------------ timestamp helper

    /** Formats epoch milliseconds as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (UTC) into a char array, garbage-free. */
    public static final class IsoMillis {
        /** Characters written. */
        public static final int LENGTH = 24;

        private IsoMillis() {
        }

        /**
         * @param epochMillis a time from year 0 to 9999.
         * @param out         at least {@link #LENGTH} chars.
         */
        public static void format(final long epochMillis, final char[] out) {
            final long days = Math.floorDiv(epochMillis, 86_400_000L);
            final int msOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
            // Howard Hinnant's civil_from_days.
            final long z = days + 719_468;
            final long era = Math.floorDiv(z, 146_097);
            final long doe = z - era * 146_097;
            final long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            final long mp = (5 * doy + 2) / 153;
            final int day = (int) (doy - (153 * mp + 2) / 5 + 1);
            final int month = (int) (mp < 10 ? mp + 3 : mp - 9);
            final int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
            digits(out, 0, year, 4);
            out[4] = '-';
            digits(out, 5, month, 2);
            out[7] = '-';
            digits(out, 8, day, 2);
            out[10] = 'T';
            digits(out, 11, msOfDay / 3_600_000, 2);
            out[13] = ':';
            digits(out, 14, msOfDay / 60_000 % 60, 2);
            out[16] = ':';
            digits(out, 17, msOfDay / 1000 % 60, 2);
            out[19] = '.';
            digits(out, 20, msOfDay % 1000, 3);
            out[23] = 'Z';
        }

        private static void digits(final char[] out, final int at, final int value, final int width) {
            int v = value;
            for (int i = at + width - 1; i >= at; i--) {
                out[i] = (char) ('0' + v % 10);
                v /= 10;
            }
        }
    }
}
