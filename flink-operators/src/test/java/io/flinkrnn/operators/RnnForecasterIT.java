package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The forecaster on a real Flink MiniCluster, without Kafka: exactness, and bad input. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RnnForecasterIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    static final RnnModel MODEL = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 3, 24, 2, 2, 5);

    static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    static RnnForecaster forecaster(int batchSize) {
        return RnnForecaster.builder().model(MODEL, "test-model", "1").batchSize(batchSize)
                .maxLatency(Duration.ofMillis(20))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
    }

    @Test
    void everyObservationGetsOneForecastBitIdenticalToTheKernelsAlone() throws Exception {
        List<Observation> in = TestData.interleaved(50, 200, MODEL.inputSize(), 1);
        StreamExecutionEnvironment env = env(2);
        DataStream<Observation> source = env.fromData(new AvroTypeInfo<>(Observation.class), in.toArray(new Observation[0]));
        ForecastStreams out = forecaster(64).apply(source);
        List<Forecast> forecasts = new ArrayList<>();
        try (CloseableIterator<Forecast> it = out.forecasts().executeAndCollect("exactness")) {
            it.forEachRemaining(forecasts::add);
        }
        assertEquals(in.size(), forecasts.size(), "one forecast per observation");
        Map<String, List<float[]>> expected = TestData.expected(MODEL, in);
        Map<String, List<Forecast>> actual = TestData.byKey(forecasts);
        assertEquals(50, actual.size());
        for (Map.Entry<String, List<float[]>> e : expected.entrySet()) {
            List<Forecast> got = actual.get(e.getKey());
            assertEquals(e.getValue().size(), got.size(), e.getKey());
            for (int t = 0; t < got.size(); t++) {
                assertArrayEquals(e.getValue().get(t), TestData.values(got.get(t)),
                        e.getKey() + " step " + t + " differs in some bit");
                assertEquals("test-model", got.get(t).getModelId());
                assertTrue(got.get(t).getBackend().startsWith("java:"), got.get(t).getBackend());
            }
        }
    }

    /**
     * In arrival order the operator checks each record; in event-time order the validator before the
     * watermarks does, and the operator trusts it (it does not check twice). Either way every bad record is
     * a dead letter with its reason, and every good one is forecast exactly as the kernels alone would.
     */
    @ParameterizedTest(name = "event time: {0}")
    @ValueSource(booleans = {false, true})
    void badRecordsGoToDeadLettersAndGoodOnesAreAllForecast(boolean eventTime) throws Exception {
        List<Observation> good = TestData.interleaved(5, 40, MODEL.inputSize(), 2);
        List<Observation> in = new ArrayList<>(good);
        Observation template = TestData.observation(0, 0, MODEL.inputSize());
        in.add(7, Observation.newBuilder(template).setKey("").build());
        in.add(19, Observation.newBuilder(template).setValues(Arrays.asList(1f, 2f)).build());
        in.add(23, Observation.newBuilder(template).setValues(Arrays.asList(1f, Float.NaN, 3f)).build());
        in.add(29, Observation.newBuilder(template).setValues(Arrays.asList(1f, Float.POSITIVE_INFINITY, 3f)).build());
        in.add(31, Observation.newBuilder(template).setEventTime(Instant.ofEpochMilli(-5)).build());
        if (!eventTime) {
            // key-1 goes back in time after its 30th step: rejected, and key-1's later steps are unaffected.
            // (In event-time order the same record is either late or sorted into place, depending on when
            // the source's periodic watermark happens to fire, so it is left out there.)
            in.add(Observation.newBuilder(TestData.observation(1, 3, MODEL.inputSize())).build());
        }

        StreamExecutionEnvironment env = env(2);
        RnnForecaster.Builder builder = RnnForecaster.builder().model(MODEL, "test-model", "1").batchSize(16)
                .maxLatency(Duration.ofMillis(20))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1));
        if (eventTime) {
            builder.eventTimeOrder(Duration.ofMinutes(5));
        }
        ForecastStreams out = builder.build().apply(
                env.fromData(new AvroTypeInfo<>(Observation.class), in.toArray(new Observation[0])));
        CloseableIterator<DeadLetter> dead = out.deadLetters().collectAsync();
        CloseableIterator<Forecast> fc = out.forecasts().collectAsync();
        env.execute("bad input");
        List<DeadLetter> letters = new ArrayList<>();
        dead.forEachRemaining(letters::add);
        List<Forecast> forecasts = new ArrayList<>();
        fc.forEachRemaining(forecasts::add);

        assertEquals(good.size(), forecasts.size(), "every good record forecast");
        assertEquals(eventTime ? 5 : 6, letters.size(), letters.toString());
        assertEquals(1, count(letters, DeadLetterReason.MISSING_KEY));
        assertEquals(1, count(letters, DeadLetterReason.WRONG_VALUE_COUNT));
        assertEquals(2, count(letters, DeadLetterReason.NON_FINITE_VALUE));
        assertEquals(1, count(letters, DeadLetterReason.TIMESTAMP_OUT_OF_RANGE));
        assertEquals(eventTime ? 0 : 1, count(letters, DeadLetterReason.TIME_WENT_BACKWARDS));
        for (DeadLetter d : letters) {
            assertTrue(d.getMessage() != null && !d.getMessage().isBlank());
        }
        Map<String, List<float[]>> expected = TestData.expected(MODEL, good);
        Map<String, List<Forecast>> actual = TestData.byKey(forecasts);
        for (Map.Entry<String, List<float[]>> e : expected.entrySet()) {
            for (int t = 0; t < e.getValue().size(); t++) {
                assertArrayEquals(e.getValue().get(t), TestData.values(actual.get(e.getKey()).get(t)));
            }
        }
    }

    @Test
    void eventTimeOrderingGivesTheSameForecastsForShuffledInputWithinTheBound() throws Exception {
        List<Observation> sorted = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            for (int k = 0; k < 8; k++) {
                sorted.add(TestData.observation(k, step, MODEL.inputSize()));
            }
        }
        // Displace records by up to 3 steps (3 minutes of event time) within a 5-minute bound.
        List<Observation> shuffled = new ArrayList<>(sorted);
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < shuffled.size(); i++) {
            int j = Math.min(shuffled.size() - 1, i + rnd.nextInt(3 * 8));
            java.util.Collections.swap(shuffled, i, j);
        }
        List<Forecast> forecasts = new ArrayList<>();
        StreamExecutionEnvironment env = env(2);
        RnnForecaster f = RnnForecaster.builder().model(MODEL, "test-model", "1").batchSize(32)
                .eventTimeOrder(Duration.ofMinutes(5))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
        ForecastStreams out = f.apply(env.fromData(new AvroTypeInfo<>(Observation.class),
                shuffled.toArray(new Observation[0])));
        CloseableIterator<DeadLetter> dead = out.deadLetters().collectAsync();
        CloseableIterator<Forecast> fc = out.forecasts().collectAsync();
        env.execute("event-time order");
        fc.forEachRemaining(forecasts::add);
        List<DeadLetter> letters = new ArrayList<>();
        dead.forEachRemaining(letters::add);
        assertEquals(List.of(), letters, "nothing is late within the bound");
        assertEquals(sorted.size(), forecasts.size());
        Map<String, List<float[]>> expected = TestData.expected(MODEL, sorted);
        Map<String, List<Forecast>> actual = TestData.byKey(forecasts);
        for (Map.Entry<String, List<float[]>> e : expected.entrySet()) {
            for (int t = 0; t < e.getValue().size(); t++) {
                assertArrayEquals(e.getValue().get(t), TestData.values(actual.get(e.getKey()).get(t)),
                        e.getKey() + " step " + t);
            }
        }
    }

    private static long count(List<DeadLetter> l, DeadLetterReason r) {
        return l.stream().filter(d -> d.getReason() == r).count();
    }
}
