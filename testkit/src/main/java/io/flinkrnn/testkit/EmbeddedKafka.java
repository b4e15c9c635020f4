package io.flinkrnn.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one) inside this JVM, on loopback
 * ports, with its log in a temporary folder. Production classes only: format the storage, start
 * KafkaRaftServer, wait until the admin client sees the cluster. For tests and the local demo; needs
 * {@code org.apache.kafka:kafka_2.13} on the classpath (a provided dependency: never in a job jar).
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** The largest record the broker and {@link #produce} take. */
    public static final int MAX_RECORD_BYTES = 8 << 20;
    private final KafkaRaftServer server;
    private final String bootstrap;
    private final String saslBootstrap;
    private final Path dir;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrap, String saslBootstrap, Path dir) {
        this.server = server;
        this.bootstrap = bootstrap;
        this.saslBootstrap = saslBootstrap;
        this.dir = dir;
    }

    public static EmbeddedKafka start(Path dir) throws Exception {
        return start(dir, null, null);
    }

    /**
     * A broker with a second listener that admits only {@code user} with {@code password} (SASL/PLAIN), at {@link
     * #saslBootstrapServers()}, as a secured cluster does; the plain listener stays for the test's own clients.
     */
    public static EmbeddedKafka startWithSasl(Path dir, String user, String password) throws Exception {
        return start(dir, user, password);
    }

    private static EmbeddedKafka start(Path dir, String user, String password) throws Exception {
        int brokerPort = freePort();
        int controllerPort = freePort();
        int saslPort = user == null ? -1 : freePort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        String sasl = user == null ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort + sasl);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + sasl);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                + (user == null ? "" : ",SASL_PLAINTEXT:SASL_PLAINTEXT"));
        if (user != null) {
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", plainLogin("user_" + user, password));
        }
        p.put("log.dirs", dir.resolve("log").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "2");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "2");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        p.put("auto.create.topics.enable", "false");
        // Records up to 8 MiB, past the job's own 1 MiB input limit, so tests can show that limit working.
        p.put("message.max.bytes", Integer.toString(MAX_RECORD_BYTES));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        Path props = dir.resolve("server.properties");
        Files.createDirectories(dir);
        try (Writer w = Files.newBufferedWriter(props)) {
            p.store(w, "flink-rnn embedded Kafka");
        }
        ByteArrayOutputStream formatOut = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                props.toString(), "--standalone", "--ignore-formatted"}, new PrintStream(formatOut, true,
                StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed: " + formatOut);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka k = new EmbeddedKafka(server, "127.0.0.1:" + brokerPort,
                user == null ? null : "127.0.0.1:" + saslPort, dir);
        try (Admin admin = k.admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
        return k;
    }

    /** The JAAS line of Kafka's PLAIN login module: a broker's user list, or a client's username and password. */
    public static String plainLogin(String... pairs) {
        StringBuilder b = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            b.append(' ').append(pairs[i]).append("=\"").append(pairs[i + 1]).append('"');
        }
        return b.append(';').toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The SASL/PLAIN listener of {@link #startWithSasl}. */
    public String saslBootstrapServers() {
        if (saslBootstrap == null) {
            throw new IllegalStateException("this broker was started without SASL: use startWithSasl");
        }
        return saslBootstrap;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Sends key/value pairs and waits until all are acknowledged. */
    public void produce(String topic, List<byte[][]> keyValues) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_RECORD_BYTES));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[][] kv : keyValues) {
                producer.send(new ProducerRecord<>(topic, kv[0], kv[1]));
            }
            producer.flush();
        }
    }

    /**
     * Reads a topic from the beginning with {@code read_committed} until {@code expected} records arrived,
     * then keeps polling for {@code settle} more to catch any surplus; gives up after {@code timeout}.
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout,
            Duration settle) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + Uuid.randomUuid());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + timeout.toNanos();
            long settleEnd = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(end, settleEnd)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected && settleEnd == Long.MAX_VALUE) {
                    settleEnd = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        server.awaitShutdown();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
