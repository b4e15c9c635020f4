package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's metrics, read back through a real metric reporter after a job with known input. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RnnForecasterMetricsIT {
    static Configuration reporter() {
        Configuration c = new Configuration();
        c.setString("metrics.reporter.collect.factory.class", CollectingMetricReporter.Factory.class.getName());
        return c;
    }

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(reporter()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void countersGaugesAndDeadLetterReasonsAreReported() throws Exception {
        List<Observation> in = new ArrayList<>(TestData.interleaved(6, 50, RnnForecasterIT.MODEL.inputSize(), 9));
        in.add(Observation.newBuilder(in.get(0)).setValues(Arrays.asList(1f, Float.NaN, 2f)).setKey("key-1").build());
        // key-2 steps 0..49 exist; its step 3 again is backwards in time for the operator.
        in.add(TestData.observation(2, 3, RnnForecasterIT.MODEL.inputSize()));
        StreamExecutionEnvironment env = RnnForecasterIT.env(1);
        ForecastStreams out = RnnForecaster.builder().model(RnnForecasterIT.MODEL, "metrics", "1").batchSize(64)
                .maxLatency(Duration.ofMillis(10))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build()
                .apply(env.fromData(new AvroTypeInfo<>(Observation.class), in.toArray(new Observation[0])));
        List<Forecast> forecasts = new ArrayList<>();
        try (CloseableIterator<Forecast> it = out.forecasts().executeAndCollect("metrics")) {
            it.forEachRemaining(forecasts::add);
        }
        assertEquals(300, forecasts.size());
        Map<String, Metric> m = CollectingMetricReporter.METRICS;
        // In arrival order every record reaches the operator, which checks it there: 300 good, the NaN one and
        // the one going back in time.
        assertEquals(302, counter(m, "recordsIn"), "ids: " + m.keySet().stream().filter(k -> k.contains("ecordsIn"))
                .toList());
        assertEquals(1, counter(m, "deadLetters.non_finite_value"));
        assertEquals(300, counter(m, "forecastsOut"));
        assertEquals(300, counter(m, "keySteps"));
        assertEquals(6, counter(m, "keysStarted"));
        assertEquals(1, counter(m, "deadLetters.time_went_backwards"));
        long flushes = counter(m, "flushes.size") + counter(m, "flushes.latency")
                + counter(m, "flushes.end_of_input") + counter(m, "flushes.watermark")
                + counter(m, "flushes.barrier");
        assertTrue(flushes >= 5, "301 records in bundles of at most 64: at least 5 flushes, got " + flushes);
        assertTrue(gauge(m, "backend").startsWith("java:"), "backend gauge");
        assertTrue(gauge(m, "backendReason").contains("backend=java"));
    }

    /** Operator metrics of the step operator: "...flink-rnn step metrics.<subtask>.<name>". */
    private static boolean ours(String id, String name) {
        return id.contains("flink-rnn step metrics.") && id.endsWith("." + name);
    }

    private static long counter(Map<String, Metric> m, String name) {
        return m.entrySet().stream().filter(e -> ours(e.getKey(), name) && e.getValue() instanceof Counter)
                .mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
    }

    private static String gauge(Map<String, Metric> m, String name) {
        return m.entrySet().stream().filter(e -> ours(e.getKey(), name)).map(e -> String.valueOf(
                ((Gauge<?>) e.getValue()).getValue())).findFirst().orElse("missing: " + name + " among " + m.keySet()
                .stream().filter(k -> k.contains("flink-rnn")).toList());
    }
}
