package io.flinkrnn.cli.cluster;

import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.cli.kafka.KafkaClients;
import io.flinkrnn.cli.kafka.ObservationProducer;
import io.flinkrnn.cli.data.SeriesGenerator;
import io.flinkrnn.deploy.job.FlinkRnnJob;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.operators.kafka.AvroCodec;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StatePart;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The pieces of the cluster checks (deploy/local-cluster): a known stream in, and a verdict out. The stream
 * is the demo generator's (deterministic); the verdict compares every forecast read back with
 * {@code read_committed} against an uninterrupted replay of the same model through the stepper in this
 * process, bit for bit — values, interval, anomaly score, raw score and flag, with the job's default settings
 * — and counts
 * observations without a forecast (lost), extra forecasts (duplicated) and differing ones (mismatched).
 */
public final class ClusterCheck {
    private ClusterCheck() {
    }

    public static void createTopics(String bootstrap, int partitions, List<String> names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                            .get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Produces rows [from, to) of every key, row by row across keys, at {@code rate} per second. */
    public static long produce(String bootstrap, String topic, DemoSeries series, int from, int to, double rate,
            PrintStream out) {
        return produce(bootstrap, topic, series, from, to, rate, false, out);
    }

    /** The same, as JSON readings ({@link ObservationProducer}) with {@code json}. */
    public static long produce(String bootstrap, String topic, DemoSeries series, int from, int to, double rate,
            boolean json, PrintStream out) {
        long lastReport = System.nanoTime();
        long sent;
        try (ObservationProducer producer = new ObservationProducer(bootstrap, topic, rate, json)) {
            for (int r = from; r < to; r++) {
                for (DemoSeries.Key k : series.keys) {
                    if (r < k.rows()) {
                        producer.send(k, r);
                    }
                }
                if (!producer.pace()) {
                    break;
                }
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    lastReport = System.nanoTime();
                    out.printf("check: produced %d observations (rows up to %d of %d)%n", producer.sent(), r + 1, to);
                }
            }
            sent = producer.sent();
        }
        out.printf("check: produced %d observations (rows %d..%d of %d keys)%n", sent, from, to - 1,
                series.keys.size());
        return sent;
    }

    /** Counts of the verdict. */
    public record Verdict(long expected, long received, long lost, long duplicated, long mismatched, long unexpected) {
        public boolean ok() {
            return lost == 0 && duplicated == 0 && mismatched == 0 && unexpected == 0;
        }

        public String line() {
            return "lost=" + lost + " duplicated=" + duplicated + " mismatched=" + (mismatched + unexpected);
        }
    }

    /**
     * Reads the forecast topic from the start ({@code read_committed}) until every one of rows [0, rows) of
     * every key has a forecast or {@code timeout} passes, then {@code settle} longer for surplus, and judges it
     * against a replay with the job's default settings; with {@code switched}, against a replay that ran with
     * intervals and anomaly scoring off until each key's first forecast with an interval and with the defaults
     * from that row on (a restart with those settings changed), and prints the state parts that replay started
     * fresh.
     */
    public static Verdict verify(String bootstrap, String topic, ModelArtifacts.Loaded artifact, DemoSeries series,
            int rows, Duration timeout, Duration settle, boolean switched, PrintStream out) throws Exception {
        return verify(bootstrap, topic, artifact, series, rows, timeout, settle, switched, false, out);
    }

    /**
     * The same; with {@code sql}, the topic holds {@code RNN_FORECAST}'s rows as Flink's JSON format writes them
     * ({@link SqlForecastJson}), which carry no raw score.
     */
    public static Verdict verify(String bootstrap, String topic, ModelArtifacts.Loaded artifact, DemoSeries series,
            int rows, Duration timeout, Duration settle, boolean switched, boolean sql, PrintStream out)
            throws Exception {
        Map<String, Integer> index = new HashMap<>();
        for (DemoSeries.Key k : series.keys) {
            for (int r = 0; r < Math.min(rows, k.rows()); r++) {
                index.put(k.name + "@" + k.times[r], r);
            }
        }
        long want = index.size();
        Map<String, Forecast> seen = new HashMap<>();
        long received = 0;
        long unexpected = 0;
        long duplicated = 0;
        AvroCodec<Forecast> codec = new AvroCodec<>(Forecast.class);
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.readCommittedConsumer(bootstrap, "flink-rnn-check-")) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + timeout.toNanos();
            long settleEnd = Long.MAX_VALUE;
            long lastReport = System.nanoTime();
            while (System.nanoTime() < Math.min(end, settleEnd)) {
                for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(250))) {
                    received++;
                    Forecast f = sql ? SqlForecastJson.decode(rec.value()) : codec.decode(rec.value());
                    String id = f.getKey() + "@" + f.getEventTime().toEpochMilli();
                    if (!index.containsKey(id)) {
                        unexpected++;
                    } else if (seen.putIfAbsent(id, f) != null) {
                        duplicated++;
                    }
                }
                if (seen.size() >= want && settleEnd == Long.MAX_VALUE) {
                    settleEnd = System.nanoTime() + settle.toNanos();
                }
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    out.printf("check: %d of %d observations have a forecast so far%n", seen.size(), want);
                }
            }
        }
        ForecastModel model = artifact.model;
        StepperSettings after = jobDefaults(model);
        StepperSettings before = switched ? after.withIntervals(0).withAnomalyScoring(false) : after;
        Map<String, Integer> switchAt = new HashMap<>();
        for (Map.Entry<String, Forecast> e : seen.entrySet()) {
            if (e.getValue().getLower() != null || !switched) {
                switchAt.merge(e.getValue().getKey(), index.get(e.getKey()), Math::min);
            }
        }
        Map<String, List<Expected>> expected = replay(model, before, after, switchAt, series, rows, out);
        long mismatched = 0;
        for (Map.Entry<String, Forecast> e : seen.entrySet()) {
            Forecast f = e.getValue();
            if (!expected.get(f.getKey()).get(index.get(e.getKey())).matches(f, !sql)) {
                mismatched++;
            }
        }
        return new Verdict(want, received, want - seen.size(), duplicated, mismatched, unexpected);
    }

    /** The job's defaults: anomaly.scoring auto, threshold 0.5, surprise 4.5, intervals.coverage 0.9 when observed. */
    static StepperSettings jobDefaults(ForecastModel model) {
        return StepperSettings.defaults().withAnomalyScoring(FlinkRnnJob.anomalyScoring("auto", model))
                .withIntervals(model.targetsObserved() ? StepperSettings.DEFAULT_COVERAGE : 0);
    }

    /**
     * What the job must publish for one observation: values, interval, anomaly score, raw score and flag. Float
     * lists and boxed floats compare by their bits ({@link Float#equals}).
     */
    record Expected(List<Float> values, List<Float> lower, List<Float> upper, Float score, Float raw,
            Boolean flagged) {
        boolean matches(Forecast f, boolean withRaw) {
            return values.equals(f.getValues()) && java.util.Objects.equals(lower, f.getLower())
                    && java.util.Objects.equals(upper, f.getUpper()) && java.util.Objects.equals(score,
                    f.getAnomalyScore()) && (!withRaw || java.util.Objects.equals(raw, f.getRawScore()))
                    && java.util.Objects.equals(flagged, f.getFlagged());
        }
    }

    /**
     * Every key's forecasts and scores after each of its first {@code rows} rows, uninterrupted, through the
     * same {@link KeyStepper} the operator runs (one row per batch: batching never changes a key's bits): with
     * {@code before} up to the key's row in {@code switchAt} (none: every row), with {@code after} from there,
     * the key's state carried over as a restore carries it. Prints the parts that started fresh at the switch.
     */
    static Map<String, List<Expected>> replay(ForecastModel model, StepperSettings before, StepperSettings after,
            Map<String, Integer> switchAt, DemoSeries series, int rows, PrintStream out) {
        Map<String, List<Expected>> result = new HashMap<>();
        int h = model.outputs();
        try (KeyStepper first = new KeyStepper(model, before,
                new CpuStepBackend(model.network(), 1, "cluster check replay"), 1);
                KeyStepper then = new KeyStepper(model, after,
                        new CpuStepBackend(model.network(), 1, "cluster check replay"), 1)) {
            float[] x = new float[1];
            for (DemoSeries.Key k : series.keys) {
                int n = Math.min(rows, k.rows());
                int from = switchAt.getOrDefault(k.name, n);
                List<Expected> expected = new ArrayList<>(n);
                KeyStateStore state = KeyStateStore.inMemory();
                for (int r = 0; r < n; r++) {
                    KeyStepper stepper = r < from ? first : then;
                    boolean intervals = stepper.settings().intervalCoverage() > 0;
                    boolean scored = stepper.settings().anomalyScoring();
                    StepBatch b = stepper.batch();
                    b.clear();
                    x[0] = k.values[r];
                    b.add(k.name, k.times[r], x, 0);
                    stepper.step(b, state);
                    List<Float> values = new ArrayList<>(h);
                    List<Float> lower = intervals ? new ArrayList<>(h) : null;
                    List<Float> upper = intervals ? new ArrayList<>(h) : null;
                    for (int j = 0; j < h; j++) {
                        values.add(b.forecast(0, j));
                        if (intervals) {
                            lower.add(b.lower(0, j));
                            upper.add(b.upper(0, j));
                        }
                    }
                    expected.add(new Expected(values, lower, upper, scored ? b.score(0) : null,
                            scored && !Float.isNaN(b.rawScore(0)) ? b.rawScore(0) : null,
                            scored ? b.flagged(0) : null));
                }
                result.put(k.name, expected);
            }
            List<String> fresh = new ArrayList<>();
            for (StatePart p : StatePart.values()) {
                if (then.freshParts().count(p) > 0 || first.freshParts().count(p) > 0) {
                    fresh.add(p.label());
                }
            }
            out.println("check: the replay's parts that started fresh: "
                    + (fresh.isEmpty() ? "none" : String.join(", ", fresh)));
        }
        return result;
    }

    public static DemoSeries series(int keys, int rows) {
        return SeriesGenerator.generate(keys, rows, 11);
    }
}
