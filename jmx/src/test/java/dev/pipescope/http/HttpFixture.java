package dev.pipescope.http;

import dev.pipescope.Pipescope;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.NullLogSink;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageDecorator;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The default pipeline (events to a sink that discards them) with its HTTP endpoints on 127.0.0.1 and a
 * real HTTP client: what Prometheus and a kubelet see, in a test. Batches run on the thread that calls
 * {@link #run(int)}; reports are taken by the test ({@code dashboard.report()}) unless it starts the reporter.
 */
final class HttpFixture implements AutoCloseable {
    final SensorRegistry registry = new SensorRegistry(64);
    final SimulatedSensorSource source;
    final Pipescope scope;
    final Pipeline pipeline;
    final HealthDashboard dashboard;
    final PipelineHttpServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final RecordBatch batch = new RecordBatch(512);
    private long batchNumber;

    HttpFixture(final String name) throws IOException {
        this(name, StageDecorator.NONE, Duration.ofSeconds(60), PipelineHttpServer.DEFAULT_STALL_LIMIT);
    }

    HttpFixture(final String name, final StageDecorator decorator, final Duration healthInterval,
        final Duration stallLimit) throws IOException {
        source = new SimulatedSensorSource(registry, 10, 11, 0.005, new SystemEpochClock());
        scope = Pipescope.builder(name)
            .registry(registry)
            .stages(PipelineDefinition.defaults())
            .service(CalibrationService.class, new SimulatedCalibrationService(64))
            .decorateStages(decorator)
            .eventLog(new LogContext(new NullLogSink()), LogLevel.INFO, 1000, 1000)
            .healthInterval(healthInterval)
            .build();
        pipeline = scope.pipeline();
        dashboard = scope.health();
        server = PipelineHttpServer.start(scope, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), stallLimit);
    }

    /** Runs batches on the calling thread. */
    void run(final int batches) {
        for (int i = 0; i < batches; i++) {
            source.fill(batch);
            pipeline.process(batch);
            batchNumber++;
        }
    }

    /** @return batches {@link #run(int)} ran (a plain read: the pipeline's consistent totals allocate a record). */
    long batchesRun() {
        return batchNumber;
    }

    HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return get(path, null);
    }

    HttpResponse<String> get(final String path, final String accept) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(10)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(final String path, final String accept) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
            .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            scope.close();
        }
    }
}
