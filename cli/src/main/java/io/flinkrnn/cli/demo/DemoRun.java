package io.flinkrnn.cli.demo;

import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.cli.data.MachineSeries;
import io.flinkrnn.cli.kafka.KafkaClients;
import io.flinkrnn.cli.kafka.ObservationProducer;
import io.flinkrnn.deploy.job.FlinkRnnJob;
import io.flinkrnn.deploy.job.JobConfig;
import io.flinkrnn.operators.kafka.AvroCodec;
import io.flinkrnn.testkit.EmbeddedKafka;
import io.flinkrnn.schemas.Forecast;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The moving parts of one demo run, all in this JVM and all cleaned up by {@link #close()}: a temporary
 * folder, an embedded KRaft Kafka with the topics, one local Flink (a MiniCluster with its web UI) running the
 * real job ({@link FlinkRnnJob}) once for the univariate keys and, with the generator, again for the machine on
 * topics of its own (the job's operator uids are fixed for savepoints, so the two are two jobs, not two pipelines
 * in one), a paced producer of observations and a {@code read_committed} consumer of forecasts and dead letters
 * that scores them ({@link ForecastTracker}, {@link MachineTracker}).
 */
public final class DemoRun implements AutoCloseable {
    static final String OBSERVATIONS = "observations";
    static final String FORECASTS = "forecasts";
    static final String DEAD_LETTERS = "dead-letters";
    public static final String MODEL_UPDATES = "model-updates";
    public static final String MACHINE_OBSERVATIONS = "machine-observations";
    public static final String MACHINE_FORECASTS = "machine-forecasts";
    public static final String MACHINE_DEAD_LETTERS = "machine-dead-letters";

    private final Path dir;
    private final EmbeddedKafka kafka;
    private final int webPort;
    private MiniCluster flink;
    private final List<JobID> jobs = new ArrayList<>();
    private Thread consumerThread;
    private volatile boolean stopConsumer;
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong machineDeadLetters = new AtomicLong();
    private final AtomicLong machineSent = new AtomicLong();
    private boolean closed;

    private DemoRun(Path dir, EmbeddedKafka kafka, int webPort) {
        this.dir = dir;
        this.kafka = kafka;
        this.webPort = webPort;
    }

    /** Starts Kafka (topics with {@code partitions}) in a fresh temporary folder; the web UI takes the first free port from {@code webPort}. */
    public static DemoRun startKafka(int partitions, int webPort) throws Exception {
        Path dir = Files.createTempDirectory("flink-rnn-demo-");
        EmbeddedKafka kafka = null;
        try {
            kafka = EmbeddedKafka.start(dir.resolve("kafka"));
            kafka.createTopic(OBSERVATIONS, partitions);
            kafka.createTopic(FORECASTS, partitions);
            kafka.createTopic(DEAD_LETTERS, 1);
            kafka.createTopic(MODEL_UPDATES, 1);
            kafka.createTopic(MACHINE_OBSERVATIONS, 1);
            kafka.createTopic(MACHINE_FORECASTS, 1);
            kafka.createTopic(MACHINE_DEAD_LETTERS, 1);
            return new DemoRun(dir, kafka, freePortFrom(webPort > 0 ? webPort : 18081));
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            deleteTree(dir);
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String webUrl() {
        return "http://localhost:" + webPort;
    }

    /** Starts the local Flink with the web UI and {@code slots} task slots (every job's parallelism together). */
    public void startFlink(int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.PORT, webPort);
        conf.set(CoreOptions.TMP_DIRS, dir.resolve("flink").toString());
        conf.setString("web.tmpdir", dir.resolve("flink-web").toString());
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        cluster.start();
        flink = cluster;
    }

    /** Submits the job to the local Flink ({@link #startFlink}); {@code settings} are job settings by name. */
    public void startJob(Map<String, String> settings, int parallelism) throws Exception {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(new Configuration());
        env.setParallelism(parallelism);
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        String name = FlinkRnnJob.build(env, JobConfig.parse(args.toArray(new String[0])), UnaryOperator.identity());
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        jobs.add(flink.submitJob(graph.getJobGraph()).get(60, TimeUnit.SECONDS).getJobID());
    }

    /**
     * Consumes forecasts and dead letters on a background thread until {@link #close()}: the keys' to {@code
     * tracker}, the machine's to {@code machine} (null: no machine).
     */
    public void startConsumer(ForecastTracker tracker, MachineTracker machine) {
        AvroCodec<Forecast> codec = new AvroCodec<>(Forecast.class);
        consumerThread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> c = KafkaClients.readCommittedConsumer(kafka.bootstrapServers(),
                    "flink-rnn-demo-reader-")) {
                c.subscribe(machine == null ? List.of(FORECASTS, DEAD_LETTERS)
                        : List.of(FORECASTS, DEAD_LETTERS, MACHINE_FORECASTS, MACHINE_DEAD_LETTERS));
                while (!stopConsumer) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        switch (r.topic()) {
                            case DEAD_LETTERS -> deadLetters.incrementAndGet();
                            case MACHINE_DEAD_LETTERS -> machineDeadLetters.incrementAndGet();
                            case MACHINE_FORECASTS -> machine.accept(decode(codec, r));
                            default -> tracker.accept(decode(codec, r));
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                Thread.currentThread().interrupt();
            }
        }, "flink-rnn-demo-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    private static Forecast decode(AvroCodec<Forecast> codec, ConsumerRecord<byte[], byte[]> r) {
        try {
            return codec.decode(r.value());
        } catch (IOException e) {
            throw new IllegalStateException("undecodable forecast in " + r.topic() + " at offset " + r.offset(), e);
        }
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    /** The machine's dead letters. */
    public long machineDeadLetters() {
        return machineDeadLetters.get();
    }

    /** The machine's observations sent so far. */
    public long machineSent() {
        return machineSent.get();
    }

    /**
     * Produces the series' rows as Observations, interleaved by position in each key's own series (row 0 of every
     * key, then row 1, ...), so keys with different time ranges all stream from the start, at {@code rate} per
     * second, until every key has sent {@code perKey} rows (or all it has), {@code deadline} passes or {@code stop}
     * says so. The machine's rows (when {@code machine} is not null) go to its own topic, each after the keys' rows
     * of the same position, at the same rate; the keys' count does not include them ({@link #machineSent()}).
     *
     * @param sentPerKey receives the count sent per key
     * @param progress called about every 250 ms with the count sent so far
     * @param pauseAfter after this many events, {@code atPause} runs on this thread before any further event is
     *     sent, with the latest event time sent so far (Long.MAX_VALUE: never)
     * @return events sent
     */
    public long produce(DemoSeries series, MachineSeries machine, double rate, long perKey, long deadlineNanos,
            java.util.function.BooleanSupplier stop, java.util.function.LongConsumer progress, long[] sentPerKey,
            long pauseAfter, java.util.function.LongConsumer atPause) {
        long latest = Long.MIN_VALUE;
        long lastProgress = System.nanoTime();
        long sent;
        int longest = 0;
        for (DemoSeries.Key k : series.keys) {
            longest = Math.max(longest, k.rows());
        }
        if (machine != null) {
            longest = Math.max(longest, machine.rows());
        }
        try (ObservationProducer producer = new ObservationProducer(kafka.bootstrapServers(), OBSERVATIONS, rate)) {
            rows:
            for (int r = 0; r < Math.min(longest, perKey); r++) {
                for (int k = 0; k < series.keys.size(); k++) {
                    DemoSeries.Key key = series.keys.get(k);
                    if (r >= key.rows()) {
                        continue;
                    }
                    if (stop.getAsBoolean() || System.nanoTime() >= deadlineNanos) {
                        break rows;
                    }
                    if (producer.sent() - machineSent.get() == pauseAfter) {
                        atPause.accept(latest);
                    }
                    producer.send(key, r);
                    latest = Math.max(latest, key.times[r]);
                    sentPerKey[k]++;
                    producer.pace();
                    if (System.nanoTime() - lastProgress > 250_000_000L) {
                        lastProgress = System.nanoTime();
                        progress.accept(producer.sent() - machineSent.get());
                    }
                }
                if (machine != null && r < machine.rows()) {
                    if (stop.getAsBoolean() || System.nanoTime() >= deadlineNanos) {
                        break;
                    }
                    producer.send(MACHINE_OBSERVATIONS, machine.name, machine.times[r], machine.row(r));
                    machineSent.incrementAndGet();
                    producer.pace();
                }
            }
            sent = producer.sent() - machineSent.get();
        }
        progress.accept(sent);
        return sent;
    }

    /** Stops the job, the consumer and Kafka, and deletes the temporary folder. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopConsumer = true;
        if (flink != null) {
            for (JobID job : jobs) {
                try {
                    flink.cancelJob(job).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // already finished or failed: nothing left to stop
                }
            }
            try {
                flink.closeAsync().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the folder goes below anyway
            }
        }
        if (consumerThread != null) {
            try {
                consumerThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            kafka.close();
        } catch (Exception e) {
            // the folder goes below anyway
        }
        deleteTree(dir);
    }

    private static int freePortFrom(int first) {
        for (int port = first; port < first + 100; port++) {
            try (ServerSocket s = new ServerSocket(port)) {
                return port;
            } catch (IOException e) {
                // taken: try the next
            }
        }
        throw new IllegalStateException("no free port in " + first + ".." + (first + 99) + " for the Flink web UI");
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a file that vanished while walking is fine
        }
    }
}
