package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastSource;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator's metrics, read back through a real metric reporter after a job with known input. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RnnForecasterMetricsIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(CollectingMetricReporter.configuration()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

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
        assertEquals(600, counter(m, "forecastSources.network"), "no guard: 300 rows x 2 outputs, the network's");
        assertEquals(0, counter(m, "forecastSources.lastValue") + counter(m, "forecastSources.linear"));
        assertTrue(gauge(m, "backend").startsWith("java:"), "backend gauge");
        assertTrue(gauge(m, "backendReason").contains("backend=java"));
    }

    /**
     * With the guard, each forecast is counted under the candidate that made it, the same counts as the key's rows
     * stepped one at a time through a stepper of their own (a key's choices never depend on its bundle).
     */
    @Test
    void forecastsAreCountedByTheGuardsCandidateThatMadeThem() throws Exception {
        ForecastModel guarded = ForecastModel.builder(RnnForecasterIT.MODEL).features(List.of("a", "b", "c"))
                .targets(List.of("a")).relativeToLast(true).guard(true).guardRecent(5).build();
        List<Observation> in = TestData.interleaved(6, 50, RnnForecasterIT.MODEL.inputSize(), 7);
        StreamExecutionEnvironment env = RnnForecasterIT.env(1);
        ForecastStreams out = RnnForecaster.builder().model(guarded, "sources", "1").batchSize(64)
                .maxLatency(Duration.ofMillis(10))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build()
                .apply(env.fromData(new AvroTypeInfo<>(Observation.class), in.toArray(new Observation[0])));
        try (CloseableIterator<Forecast> it = out.forecasts().executeAndCollect("sources")) {
            it.forEachRemaining(f -> { });
        }
        long[] expected = new long[ForecastSource.values().length];
        try (KeyStepper alone = new KeyStepper(guarded, StepperSettings.defaults(),
                new CpuStepBackend(guarded.network(), 1, "test"), 1)) {
            KeyStateStore.InMemory states = KeyStateStore.inMemory();
            StepBatch b = alone.batch();
            for (Observation o : in) {
                b.clear();
                b.add(o.getKey(), o.getEventTime().toEpochMilli(), o.getValues());
                alone.step(b, states);
                for (ForecastSource s : ForecastSource.values()) {
                    expected[s.ordinal()] += b.sourceCount(s);
                }
            }
        }
        Map<String, Metric> m = CollectingMetricReporter.METRICS;
        long total = 0;
        for (ForecastSource s : ForecastSource.values()) {
            assertEquals(expected[s.ordinal()], counter(m, "sources", "forecastSources." + s.metricName()),
                    s.metricName());
            total += expected[s.ordinal()];
        }
        assertEquals(600, total, "300 rows x 2 steps");
        assertTrue(expected[ForecastSource.LAST_VALUE.ordinal()] + expected[ForecastSource.BLEND.ordinal()] > 0,
                "on smooth series the guard turns from a random network to the last value or a blend");
    }

    /**
     * Keyed state is read once per distinct key per flush and written once per key that changed, on the heap
     * and on RocksDB (where every access is a serialisation and a JNI call): 6 keys x 50 steps, flushed only
     * on size (64) and at the end, are 5 flushes of at most 6 keys each: at most 30 reads and writes for 300
     * records.
     */
    @ParameterizedTest
    @ValueSource(strings = {StateBackends.HASHMAP, StateBackends.ROCKSDB})
    void stateIsReadAndWrittenOncePerDistinctKeyPerFlush(String backend, @TempDir Path dir) throws Exception {
        List<Observation> in = TestData.interleaved(6, 50, RnnForecasterIT.MODEL.inputSize(), 4);
        Configuration conf = StateBackends.of(backend, dir);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        String model = "accesses-" + backend;
        ForecastStreams out = RnnForecaster.builder().model(RnnForecasterIT.MODEL, model, "1").batchSize(64)
                .maxLatency(Duration.ZERO).backend(BackendOptions.defaults().withKind(BackendKind.JAVA)
                        .withThreads(1)).build()
                .apply(env.fromData(new AvroTypeInfo<>(Observation.class), in.toArray(new Observation[0])));
        List<Forecast> forecasts = new ArrayList<>();
        try (CloseableIterator<Forecast> it = out.forecasts().executeAndCollect("accesses " + backend)) {
            it.forEachRemaining(forecasts::add);
        }
        assertEquals(300, forecasts.size());
        assertArrayEquals(TestData.expected(RnnForecasterIT.MODEL, in).get("key-3").get(49),
                TestData.values(TestData.byKey(forecasts).get("key-3").get(49)), "exact on " + backend);
        Map<String, Metric> m = CollectingMetricReporter.METRICS;
        StateBackends.assertBackend(backend, m, "flink-rnn step " + model);
        assertEquals(4, counter(m, model, "flushes.size"));
        assertEquals(1, counter(m, model, "flushes.end_of_input") + counter(m, model, "flushes.watermark"),
                "the rest at the end of input (the final watermark comes first)");
        assertEquals(300, counter(m, model, "keySteps"));
        long distinctPerFlush = 0;
        for (int from = 0; from < in.size(); from += 64) {
            distinctPerFlush += in.subList(from, Math.min(in.size(), from + 64)).stream().map(Observation::getKey)
                    .distinct().count();
        }
        assertTrue(distinctPerFlush <= 30, "6 keys in 5 flushes");
        assertEquals(distinctPerFlush, counter(m, model, "stateReads"), "one read per distinct key per flush");
        assertEquals(distinctPerFlush, counter(m, model, "stateWrites"), "one write per stepped key per flush");
    }

    /** Operator metrics of the step operator: "...flink-rnn step metrics.<subtask>.<name>". */
    private static boolean ours(String id, String name) {
        return ours(id, "metrics", name);
    }

    private static boolean ours(String id, String model, String name) {
        return id.contains("flink-rnn step " + model + ".") && id.endsWith("." + name);
    }

    private static long counter(Map<String, Metric> m, String name) {
        return counter(m, "metrics", name);
    }

    private static long counter(Map<String, Metric> m, String model, String name) {
        return m.entrySet().stream().filter(e -> ours(e.getKey(), model, name) && e.getValue() instanceof Counter)
                .mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
    }

    private static String gauge(Map<String, Metric> m, String name) {
        return m.entrySet().stream().filter(e -> ours(e.getKey(), name)).map(e -> String.valueOf(
                ((Gauge<?>) e.getValue()).getValue())).findFirst().orElse("missing: " + name + " among " + m.keySet()
                .stream().filter(k -> k.contains("flink-rnn")).toList());
    }
}
