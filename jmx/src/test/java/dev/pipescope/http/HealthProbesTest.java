package dev.pipescope.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.health.HealthThresholds;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageDecorator;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes probes over real HTTP while a stage stalls: a stage that blocks (a hung remote call, a lock)
 * makes the report UNHEALTHY ({@code STALLED}), so {@code /health/ready} answers 503 with the reason, and
 * once the batch is held beyond the stall limit {@code /health/live} answers 503 too; when the stage lets
 * go, both answer 200 again.
 */
class HealthProbesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_MS = 15_000;

    @Test
    void aStalledStageFailsReadinessThenLivenessAndBothRecover() throws Exception {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch release = new CountDownLatch(1);
        final StageDecorator blockNormalize = configured -> {
            final Stage stage = configured.stage();
            if (!configured.name().equals("normalize")) {
                return stage;
            }
            return batch -> {
                if (armed.compareAndSet(true, false)) {
                    try {
                        release.await(WAIT_MS * 3, TimeUnit.MILLISECONDS);
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                stage.process(batch);
            };
        };
        try (HttpFixture f = new HttpFixture("probes", blockNormalize, Duration.ofMillis(100), Duration.ofSeconds(1))) {
            f.dashboard.thresholds(HealthThresholds.builder().stallTimeoutMs(500).build());
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread processing = new Thread(() -> {
                while (!stop.get()) {
                    f.run(1);
                    try {
                        Thread.sleep(2);
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
            }, "processing");
            processing.setDaemon(true);
            processing.start();
            f.scope.start();
            try {
                final HttpResponse<String> healthy = await(f, "/health/ready", code -> code == 200);
                assertEquals("HEALTHY", JSON.readTree(healthy.body()).get("health").asText(), healthy.body());

                armed.set(true);
                final HttpResponse<String> notReady = await(f, "/health/ready", code -> code == 503);
                final JsonNode ready = JSON.readTree(notReady.body());
                assertEquals("DOWN", ready.get("status").asText(), notReady.body());
                assertEquals("UNHEALTHY", ready.get("health").asText(), notReady.body());
                final JsonNode first = ready.get("reasons").get(0);
                assertEquals("STALLED", first.get("code").asText(), notReady.body());
                assertEquals("normalize", first.get("subject").asText(), notReady.body());
                assertEquals("UNHEALTHY", first.get("status").asText(), notReady.body());
                assertTrue(first.get("message").asText().startsWith("STALLED"), notReady.body());

                final HttpResponse<String> dead = await(f, "/health/live", code -> code == 503);
                final JsonNode live = JSON.readTree(dead.body());
                assertEquals("DOWN", live.get("status").asText());
                assertEquals("normalize", live.get("inFlightStage").asText(), dead.body());
                assertTrue(live.get("inFlightSeconds").asDouble() >= 1.0, dead.body()); // beyond the limit, to the ms
                assertTrue(live.get("reason").asText().startsWith("STALLED: stage normalize has held the batch for"),
                    dead.body());
                assertEquals(503, f.get("/health").statusCode());
                assertTrue(f.get("/metrics").body().contains(
                    "pipescope_health_reason{code=\"STALLED\",pipeline=\"probes\",status=\"UNHEALTHY\",subject=\"normalize\"} 1.0"));

                release.countDown();
                final HttpResponse<String> alive = await(f, "/health/live", code -> code == 200);
                assertEquals("UP", JSON.readTree(alive.body()).get("status").asText());
                final HttpResponse<String> readyAgain = await(f, "/health/ready", code -> code == 200);
                assertTrue(!"UNHEALTHY".equals(JSON.readTree(readyAgain.body()).get("health").asText()), readyAgain.body());
            } finally {
                release.countDown();
                stop.set(true);
                processing.join(10_000);
            }
        }
    }

    /** Polls an endpoint until its status code satisfies the condition, for at most {@value #WAIT_MS} ms. */
    private static HttpResponse<String> await(final HttpFixture f, final String path, final IntPredicate code)
        throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = f.get(path);
            if (code.test(last.statusCode())) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not answer as expected within " + WAIT_MS + " ms; last: "
            + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }
}
