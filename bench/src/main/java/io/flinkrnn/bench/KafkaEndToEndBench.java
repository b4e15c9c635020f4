package io.flinkrnn.bench;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.operators.kafka.AvroCodec;
import io.flinkrnn.testkit.EmbeddedKafka;
import io.flinkrnn.operators.kafka.KafkaForecastPipeline;
import io.flinkrnn.operators.kafka.ObservationFormat;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Kafka → job → Kafka with Avro records on one machine: an in-JVM KRaft broker and a local MiniCluster at
 * parallelism 2 share the two cores. Two measurements per delivery guarantee:
 * <ul>
 *   <li>throughput: {@code events} observations (10k keys) are produced first, then a bounded job reads and
 *       forecasts them all; events/s = events / the job's net runtime;</li>
 *   <li>latency: a producer sends at {@code rate} events/s, stamping each observation with the wall clock,
 *       while an unbounded job runs; a {@code read_committed} consumer records arrival − stamp.</li>
 * </ul>
 * Prints {@code e2e guarantee=... events_per_s=N} and {@code e2e guarantee=... p50_ms=.. p99_ms=..}.
 */
@Command(name = "KafkaEndToEndBench", mixinStandardHelpOptions = true,
        description = "Kafka -> job -> Kafka with Avro records: throughput, then latency, per delivery guarantee.")
public final class KafkaEndToEndBench implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "EVENTS",
            description = "observations produced for the throughput run (default: ${DEFAULT-VALUE})")
    long events = 1_000_000;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RATE",
            description = "events/s the latency run's producer sends (default: ${DEFAULT-VALUE})")
    int rate = 20_000;

    @Parameters(index = "2", arity = "0..1", paramLabel = "SECONDS",
            description = "how long the latency run lasts (default: ${DEFAULT-VALUE})")
    int latencySeconds = 20;

    public static void main(String[] args) {
        BenchCli.exit(new KafkaEndToEndBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        int keys = 10_000;
        Path dir = Files.createTempDirectory("flink-rnn-e2e-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            // A first job warms the JIT (Flink, Kafka and the kernels); its figure is not reported.
            createTopics(kafka, "warmup");
            produce(kafka, "warmup-in", 0, Math.min(events, 300_000), keys, false);
            StreamExecutionEnvironment wenv = env();
            topics(kafka, "warmup", DeliveryGuarantee.AT_LEAST_ONCE, true).forecaster(forecaster()).build()
                    .addTo(wenv);
            wenv.execute("e2e warm-up");
            for (DeliveryGuarantee g : new DeliveryGuarantee[] {DeliveryGuarantee.AT_LEAST_ONCE,
                    DeliveryGuarantee.EXACTLY_ONCE}) {
                String name = "tp-" + g.name().toLowerCase().replace('_', '-');
                createTopics(kafka, name);
                produce(kafka, name + "-in", 0, events, keys, false);
                StreamExecutionEnvironment env = env();
                topics(kafka, name, g, true).forecaster(forecaster()).build().addTo(env);
                JobExecutionResult r = env.execute("e2e throughput " + g);
                double s = r.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
                System.out.printf(Locale.ROOT, "e2e guarantee=%s events_per_s=%.0f events=%d keys=%d net_runtime_s=%.2f%n",
                        g, events / s, events, keys, s);

                String lname = "lat-" + g.name().toLowerCase().replace('_', '-');
                createTopics(kafka, lname);
                StreamExecutionEnvironment lenv = env();
                topics(kafka, lname, g, false).forecaster(forecaster()).build().addTo(lenv);
                JobClient job = lenv.executeAsync("e2e latency " + g);
                Thread.sleep(3000);
                long total = (long) rate * latencySeconds;
                Thread producer = new Thread(() -> {
                    try {
                        long start = System.nanoTime();
                        long sent = 0;
                        while (sent < total) {
                            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                            long n = Math.min(total, Math.max(due, sent + 1)) - sent;
                            produce(kafka, lname + "-in", sent, sent + n, keys, true);
                            sent += n;
                            Thread.sleep(10);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                producer.start();
                int[] lat = receiveLatencies(kafka, lname + "-out", (int) total, latencySeconds + 60L);
                producer.join();
                job.cancel().get(1, TimeUnit.MINUTES);
                int[] steady = Arrays.copyOfRange(lat, lat.length / 10, lat.length);
                Arrays.sort(steady);
                System.out.printf(Locale.ROOT, "e2e guarantee=%s offered_per_s=%d received=%d p50_ms=%d p99_ms=%d"
                        + " (read_committed poll time - observation creation; first 10%% skipped)%n", g, rate,
                        lat.length, pct(steady, 50), pct(steady, 99));
            }
        }
        return 0;
    }

    /** Polls the topic with read_committed and records, per forecast, poll time minus creation time. */
    private static int[] receiveLatencies(EmbeddedKafka kafka, String topic, int expected, long timeoutSeconds)
            throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("group.id", "latency-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        AvroCodec<Forecast> codec = new AvroCodec<>(Forecast.class);
        int[] lat = new int[expected];
        int n = 0;
        long end = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (n < expected && System.nanoTime() < end) {
                var records = c.poll(Duration.ofMillis(50));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (n < expected) {
                        lat[n++] = (int) (now - codec.decode(r.value()).getEventTime().toEpochMilli());
                    }
                }
            }
        }
        return Arrays.copyOf(lat, n);
    }

    private static int pct(int[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.round(p / 100 * (sorted.length - 1))];
    }

    private static void createTopics(EmbeddedKafka kafka, String name) throws Exception {
        kafka.createTopic(name + "-in", 2);
        kafka.createTopic(name + "-out", 2);
        kafka.createTopic(name + "-dead", 1);
    }

    private static void produce(EmbeddedKafka kafka, String topic, long from, long to, int keys, boolean stamp)
            throws Exception {
        AvroCodec<Observation> codec = new AvroCodec<>(Observation.class);
        List<byte[][]> batch = new ArrayList<>();
        for (long i = from; i < to; i++) {
            Observation o = stamp ? BenchModels.stamped(i, keys) : BenchModels.observation(i, keys);
            batch.add(new byte[][] {o.getKey().getBytes(StandardCharsets.UTF_8), codec.encode(o)});
            if (batch.size() == 50_000) {
                kafka.produce(topic, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            kafka.produce(topic, batch);
        }
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        return env;
    }

    private static KafkaForecastPipeline.Builder topics(EmbeddedKafka kafka, String name, DeliveryGuarantee g,
            boolean bounded) {
        return KafkaForecastPipeline.builder().bootstrapServers(kafka.bootstrapServers()).observationsTopic(name + "-in")
                .forecastsTopic(name + "-out").deadLettersTopic(name + "-dead").groupId(name + "-job")
                .format(ObservationFormat.AVRO).deliveryGuarantee(g).transactionTimeout(Duration.ofMinutes(5))
                .bounded(bounded);
    }

    private static RnnForecaster forecaster() {
        return RnnForecaster.builder().model(BenchModels.lstm(1, 64, 1, 7), "e2e-bench", "1").batchSize(512)
                .maxLatency(Duration.ofMillis(20))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
    }
}
