package io.flinkrnn.operators.kafka;

import io.flinkrnn.operators.update.ModelUpdateFeed;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Model updates from a Kafka control topic. Each operator instance assigns itself every partition (no consumer
 * group: every instance reads every update, and the offsets live in Flink's checkpoints, not in Kafka), reads
 * with {@code read_committed}, and reads to the topic's end by asking the broker for its end offsets first.
 */
public final class KafkaModelUpdateFeed implements ModelUpdateFeed {
    private static final long serialVersionUID = 1L;

    private final String bootstrapServers;
    private final String topic;
    private final Duration timeout;
    private final KafkaClientProperties client;

    /** @param timeout how long one read to the end may take before the task fails (and restarts) */
    public KafkaModelUpdateFeed(String bootstrapServers, String topic, Duration timeout) {
        this(bootstrapServers, topic, timeout, KafkaClientProperties.none());
    }

    /** As above, the consumer opened with {@code client} (security settings and the like). */
    public KafkaModelUpdateFeed(String bootstrapServers, String topic, Duration timeout,
            KafkaClientProperties client) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.timeout = timeout;
        this.client = Objects.requireNonNull(client, "client properties");
    }

    public String topic() {
        return topic;
    }

    @Override
    public String describe() {
        return "kafka:" + topic;
    }

    @Override
    public Reader open(Map<Integer, Long> from) {
        Properties p = new Properties();
        client.applyTo(p::put);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "flink-rnn-model-updates");
        // An inline artifact may be several MB: let one fetch hold it.
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 << 20));
        return new KafkaReader(new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                new TreeMap<>(from));
    }

    private final class KafkaReader implements Reader {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<Integer, Long> positions;
        private final List<TopicPartition> assigned = new ArrayList<>();

        KafkaReader(KafkaConsumer<byte[], byte[]> consumer, Map<Integer, Long> positions) {
            this.consumer = consumer;
            this.positions = positions;
        }

        @Override
        public List<Record> readToEnd() throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                assignPartitions();
                Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
                List<Record> out = new ArrayList<>();
                while (!reached(end)) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("model updates: could not read topic '" + topic + "' to its end ("
                                + end + ") within " + timeout + " from " + bootstrapServers);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        out.add(new Record(describe(), r.partition(), r.offset(), r.value()));
                        positions.put(r.partition(), r.offset() + 1);
                    }
                }
                for (TopicPartition tp : assigned) {
                    positions.put(tp.partition(), consumer.position(tp));
                }
                return out;
            } catch (KafkaException e) {
                throw new IOException("model updates: reading topic '" + topic + "' from " + bootstrapServers
                        + " failed: " + e.getMessage(), e);
            }
        }

        private boolean reached(Map<TopicPartition, Long> end) {
            for (TopicPartition tp : assigned) {
                if (consumer.position(tp) < end.getOrDefault(tp, 0L)) {
                    return false;
                }
            }
            return true;
        }

        /** Picks up every partition of the topic, including ones added since the last read. */
        private void assignPartitions() throws IOException {
            List<PartitionInfo> parts = consumer.partitionsFor(topic, timeout);
            if (parts == null || parts.isEmpty()) {
                throw new IOException("model updates: topic '" + topic + "' does not exist on " + bootstrapServers
                        + " (create it, or leave topics.model-updates unset)");
            }
            if (parts.size() == assigned.size()) {
                return;
            }
            assigned.clear();
            for (PartitionInfo pi : parts) {
                assigned.add(new TopicPartition(topic, pi.partition()));
            }
            consumer.assign(assigned);
            List<TopicPartition> unknown = new ArrayList<>();
            for (TopicPartition tp : assigned) {
                Long at = positions.get(tp.partition());
                if (at == null) {
                    unknown.add(tp);
                } else {
                    consumer.seek(tp, at);
                }
            }
            if (!unknown.isEmpty()) {
                consumer.seekToBeginning(unknown);
            }
        }

        @Override
        public Map<Integer, Long> positions() {
            return new TreeMap<>(positions);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
