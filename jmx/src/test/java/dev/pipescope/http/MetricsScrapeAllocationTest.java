package dev.pipescope.http;

import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.testing.AllocationProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real HTTP client (java.net.http) scraping {@code /metrics} on 127.0.0.1 as fast as it can, and asking the
 * probes, while the pipeline runs and a reporter takes health reports: the processing thread still allocates
 * nothing per batch (see {@link AllocationProbe} for the rule with and without C2).
 */
@Tag(AllocationProbe.TAG)
class MetricsScrapeAllocationTest {
    private static final int BATCHES_PER_ROUND = 20_000;

    @Test
    void continuousScrapesCostTheProcessingThreadNothing() throws Exception {
        assumeTrue(AllocationMeter.isAvailable());
        try (HttpFixture f = new HttpFixture("scraped")) {
            f.run(20_000);
            f.dashboard.report();
            final AtomicLong scrapes = new AtomicLong();
            final AtomicLong bytes = new AtomicLong();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final HttpRequest metrics = HttpRequest.newBuilder(URI.create(f.server.url() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
            final HttpRequest[] probes = {
                HttpRequest.newBuilder(URI.create(f.server.url() + "/health/live")).GET().build(),
                HttpRequest.newBuilder(URI.create(f.server.url() + "/health/ready")).GET().build(),
                HttpRequest.newBuilder(URI.create(f.server.url() + "/health")).GET().build(),
            };
            final Thread scraper = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        final HttpResponse<byte[]> r = f.client.send(metrics, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            throw new AssertionError("/metrics answered " + r.statusCode());
                        }
                        bytes.addAndGet(r.body().length);
                        f.client.send(probes[(int) (scrapes.incrementAndGet() % probes.length)],
                            HttpResponse.BodyHandlers.discarding());
                    }
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (final Exception | AssertionError e) {
                    if (!Thread.currentThread().isInterrupted()) {
                        failure.set(e);
                    }
                }
            }, "prometheus-scraper");
            scraper.start();
            final Thread reporter = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    f.dashboard.report(); // feeds the histograms and the interval figures the scrapes read
                    try {
                        Thread.sleep(20);
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
            }, "health-reporter");
            reporter.start();
            final long warmScrapes;
            final long measuredScrapes;
            try {
                // the exporter warms up first (its first scrapes load and compile its classes), then we measure
                final long deadline = System.nanoTime() + 30_000_000_000L;
                while (scrapes.get() < 20 && failure.get() == null && System.nanoTime() < deadline) {
                    f.run(1_000);
                }
                warmScrapes = scrapes.get();
                AllocationProbe.measure(1, 3, () -> {
                    f.run(BATCHES_PER_ROUND);
                    return f.batchesRun();
                }).assertAllocationFree(BATCHES_PER_ROUND + " batches on the processing thread while /metrics is scraped");
                measuredScrapes = scrapes.get() - warmScrapes;
            } finally {
                scraper.interrupt();
                reporter.interrupt();
                scraper.join(10_000);
                reporter.join(10_000);
            }
            assertNull(failure.get());
            assertTrue(warmScrapes >= 20 && measuredScrapes >= 5, "the scraper really scraped: " + warmScrapes
                + " scrapes before measuring, " + measuredScrapes + " while measuring, " + bytes.get() + " bytes");
        }
    }
}
