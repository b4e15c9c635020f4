package io.flinkrnn.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.operators.ForecastStreams;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.TimeOrderPolicy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A million keys on RocksDB: an LSTM (2 layers, H=64, F=1) stepped for every key, with incremental
 * checkpoints and a state TTL. Three passes over all keys: the first creates every key's state, the second
 * follows at once (every read hits a key that exists), then the source pauses past the TTL and the third
 * finds every key expired (each restarts from zero state, counted by the operator's {@code keysStarted}).
 * Samples heap (used, and the old generation's share: what lives long), RocksDB's local disk, and reads
 * the checkpoint statistics from the MiniCluster's REST API. Prints one line:
 * {@code million_keys keys=... events=... pass_events_per_s=a,b,c heap_peak_mb=... old_gen_peak_mb=...
 * xmx_mb=... rocksdb_disk_peak_mb=... checkpoints=... checkpoint_full_mb=... checkpoint_incremental_mb=...
 * checkpoint_duration_ms_p50=... checkpoint_duration_ms_max=... keys_started=... expired_and_restarted=...}.
 *
 * <pre>
 *   bench/run-million-keys.sh            (or: java -Xmx2g ... MillionKeysBench --keys 1000000 --ttl 60s --gap 75s)
 * </pre>
 */
@Command(name = "MillionKeysBench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A million keys on RocksDB, three passes (create, update, after the TTL); one million_keys"
                + " ... line.")
public final class MillionKeysBench implements Callable<Integer> {
    static final AtomicLong OUT = new AtomicLong();
    static final long[] PASS_DONE_NANOS = new long[3];

    @Option(names = "--keys", paramLabel = "N",
            description = "keys, each stepped once per pass (default: ${DEFAULT-VALUE})")
    int keys = 1000000;

    @Option(names = "--ttl", paramLabel = "SECONDS[s]", converter = BenchCli.Seconds.class,
            description = "the state TTL (default: ${DEFAULT-VALUE}s)")
    long ttlSeconds = 60;

    @Option(names = "--gap", paramLabel = "SECONDS[s]", converter = BenchCli.Seconds.class,
            description = "the source's pause before the third pass, past the TTL (default: ${DEFAULT-VALUE}s)")
    long gapSeconds = 75;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "checkpoints and RocksDB's local files, emptied first (default: ${DEFAULT-VALUE})")
    Path dirOption = Path.of("target/million-keys");

    @Option(names = "--rest-port", paramLabel = "PORT",
            description = "the MiniCluster's REST port, polled for checkpoint statistics (default: ${DEFAULT-VALUE})")
    int restPort = 18091;

    @Option(names = "--managed", paramLabel = "SIZE", converter = BenchCli.MemorySizes.class,
            description = "the task manager's managed memory, RocksDB's (default: ${DEFAULT-VALUE})")
    MemorySize managed = MemorySize.parse("512m");

    @Option(names = "--checkpoint-interval", paramLabel = "SECONDS",
            description = "seconds between checkpoints (default: ${DEFAULT-VALUE})")
    long checkpointIntervalSeconds = 10;

    private MillionKeysBench() {
    }

    public static void main(String[] args) {
        BenchCli.exit(new MillionKeysBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        long gapMillis = gapSeconds * 1000;
        Path dir = dirOption.toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
        conf.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managed);
        conf.set(RestOptions.PORT, restPort);
        conf.setString("metrics.reporter.bench.factory.class", BenchCounters.Factory.class.getName());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(checkpointIntervalSeconds * 1000,
                CheckpointingMode.EXACTLY_ONCE);

        RnnModel model = RandomInit.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 64, 2, 1, 11);
        long events = 3L * keys;
        GeneratorFunction<Long, Observation> gen = new PassGenerator(keys);
        ForecastStreams s = RnnForecaster.builder().model(model, "million", "1").batchSize(512)
                .maxLatency(Duration.ofMillis(50)).timeOrder(TimeOrderPolicy.ACCEPT).stateTtl(ttl)
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build()
                .apply(env.fromSource(new DataGeneratorSource<>(gen, events, new PauseBeforeThirdPass(keys, gapMillis),
                        new AvroTypeInfo<>(Observation.class)), WatermarkStrategy.noWatermarks(), "keys")
                        // One reader, so the passes follow each other (parallel readers split the index range).
                        .setParallelism(1));
        s.forecasts().sinkTo(new PassSink(keys));
        s.deadLetters().sinkTo(new DeadLetterCounter());

        Sampler sampler = new Sampler(dir.resolve("rocksdb"));
        sampler.start();
        long start = System.nanoTime();
        JobClient job = env.executeAsync("million keys");
        String checkpoints = "";
        java.util.concurrent.CompletableFuture<org.apache.flink.api.common.JobExecutionResult> done =
                job.getJobExecutionResult();
        // The local MiniCluster shuts down with the job: poll its REST API while it runs, keep the last answer.
        while (!done.isDone()) {
            Thread.sleep(2000);
            String c = get(restPort, "/jobs/" + job.getJobID() + "/checkpoints");
            checkpoints = c.isEmpty() ? checkpoints : c;
            System.err.printf(Locale.ROOT, "million-keys: %,d of %,d forecasts, heap %d MB, rocksdb %d MB%n",
                    OUT.get(), events, sampler.heapNow() >> 20, sampler.diskPeak >> 20);
        }
        done.get();
        sampler.interrupt();
        double[] rates = new double[3];
        long prev = start;
        for (int p = 0; p < 3; p++) {
            // The third pass starts after the pause, which starts once the second pass is out.
            double secs = (PASS_DONE_NANOS[p] - prev) / 1e9 - (p == 2 ? gapMillis / 1000.0 : 0);
            rates[p] = keys / secs;
            prev = PASS_DONE_NANOS[p];
        }
        JsonNode answer = tree(checkpoints);
        JsonNode latest = answer.path("latest").path("completed");
        List<Long> durations = new ArrayList<>();
        for (JsonNode c : answer.path("history")) {
            if (c.path("end_to_end_duration").asLong(-1) >= 0) {
                durations.add(c.path("end_to_end_duration").asLong());
            }
        }
        durations.sort(null);
        long started = BenchCounters.counter("keysStarted");
        System.out.printf(Locale.ROOT, "million_keys keys=%d events=%d pass_events_per_s=%.0f,%.0f,%.0f"
                + " heap_peak_mb=%d old_gen_peak_mb=%d xmx_mb=%d rocksdb_disk_peak_mb=%d checkpoints=%s"
                + " checkpoint_full_mb=%.1f checkpoint_incremental_mb=%.1f checkpoint_duration_ms_p50=%d"
                + " checkpoint_duration_ms_max=%d keys_started=%d expired_and_restarted=%d dead_letters=%d%n",
                keys, events, rates[0], rates[1], rates[2], sampler.heapPeak >> 20, sampler.oldGenPeak >> 20,
                Runtime.getRuntime().maxMemory() >> 20, sampler.diskPeak >> 20,
                answer.path("counts").path("completed").asLong(-1), latest.path("state_size").asLong(-1) / 1048576.0,
                latest.path("checkpointed_size").asLong(-1) / 1048576.0,
                durations.isEmpty() ? -1 : durations.get(durations.size() / 2),
                durations.isEmpty() ? -1 : durations.get(durations.size() - 1), started, started - keys,
                DeadLetterCounter.COUNT.get());
        return 0;
    }

    /** Key i mod keys, one second of event time per pass. */
    static final class PassGenerator implements GeneratorFunction<Long, Observation> {
        private static final long serialVersionUID = 1L;
        private final int keys;

        PassGenerator(int keys) {
            this.keys = keys;
        }

        @Override
        public Observation map(Long i) {
            return Observation.newBuilder().setKey("k" + (i % keys))
                    .setEventTime(Instant.ofEpochMilli(BenchModels.T0 + (i / keys) * 1000L))
                    .setValues(List.of((float) Math.sin(i * 0.001))).build();
        }
    }

    /**
     * No limit, except once: before the third pass it waits until the first two are out of the operator, then
     * past the TTL. Asynchronously, so the source stays responsive and checkpoints go on during the pause.
     */
    static final class PauseBeforeThirdPass implements RateLimiterStrategy<org.apache.flink.api.connector.source.SourceSplit> {
        private static final long serialVersionUID = 1L;
        private final int keys;
        private final long gapMillis;

        PauseBeforeThirdPass(int keys, long gapMillis) {
            this.keys = keys;
            this.gapMillis = gapMillis;
        }

        @Override
        public org.apache.flink.api.connector.source.util.ratelimit.RateLimiter<
                org.apache.flink.api.connector.source.SourceSplit> createRateLimiter(int parallelism) {
            return new org.apache.flink.api.connector.source.util.ratelimit.RateLimiter<>() {
                private long acquired;

                @Override
                public java.util.concurrent.CompletionStage<Void> acquire(int events) {
                    long before = acquired;
                    acquired += events;
                    if (before > 2L * keys || acquired <= 2L * keys) {
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }
                    // This batch crosses into the third pass: wait until everything before it is out.
                    return java.util.concurrent.CompletableFuture.runAsync(() -> {
                        try {
                            while (OUT.get() < before) {
                                Thread.sleep(20);
                            }
                            Thread.sleep(gapMillis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }

                @Override
                public void notifyCheckpointComplete(long checkpointId) {
                }
            };
        }
    }

    /** Counts forecasts; notes when each pass's worth had arrived. */
    static final class PassSink implements org.apache.flink.api.connector.sink2.Sink<io.flinkrnn.schemas.Forecast> {
        private static final long serialVersionUID = 1L;
        private final int keys;

        PassSink(int keys) {
            this.keys = keys;
        }

        @Override
        public org.apache.flink.api.connector.sink2.SinkWriter<io.flinkrnn.schemas.Forecast> createWriter(
                org.apache.flink.api.connector.sink2.WriterInitContext context) {
            return new org.apache.flink.api.connector.sink2.SinkWriter<>() {
                @Override
                public void write(io.flinkrnn.schemas.Forecast f, Context c) {
                    long n = OUT.incrementAndGet();
                    if (n % keys == 0 && n / keys <= 3) {
                        PASS_DONE_NANOS[(int) (n / keys) - 1] = System.nanoTime();
                    }
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Heap used (peak), the old generation's used part (peak), RocksDB's disk (peak). */
    static final class Sampler extends Thread {
        final Path rocksdb;
        volatile long heapPeak;
        volatile long oldGenPeak;
        volatile long diskPeak;

        Sampler(Path rocksdb) {
            this.rocksdb = rocksdb;
            setDaemon(true);
        }

        long heapNow() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        @Override
        public void run() {
            int tick = 0;
            while (!isInterrupted()) {
                heapPeak = Math.max(heapPeak, heapNow());
                long old = 0;
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (p.getType() == MemoryType.HEAP && p.getName().toLowerCase(Locale.ROOT).contains("old")) {
                        old += p.getUsage().getUsed();
                    }
                }
                oldGenPeak = Math.max(oldGenPeak, old);
                if (tick++ % 5 == 0) {
                    diskPeak = Math.max(diskPeak, size(rocksdb));
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    static long size(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file RocksDB removed while we walked
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String get(int port, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** Flink's REST answer (/jobs/ID/checkpoints) as a tree; a missing node when there was none. */
    static JsonNode tree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }
}
