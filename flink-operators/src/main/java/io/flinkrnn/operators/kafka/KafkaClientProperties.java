package io.flinkrnn.operators.kafka;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Kafka client properties given to every client the pipeline opens (the source, both sinks, the model-update
 * reader): what a real cluster asks of its clients, such as {@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.truststore.location} or {@code compression.type}, passed as Kafka spells
 * them, as Flink's own Kafka connector passes its {@code properties.*}. The few properties the pipeline sets itself
 * for its guarantees are refused by name, with the setting to use instead, rather than silently overridden.
 */
public final class KafkaClientProperties implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final KafkaClientProperties NONE = new KafkaClientProperties(Map.of());
    private static final Map<String, String> OWNED = Map.ofEntries(
            Map.entry("bootstrap.servers", "the bootstrap servers setting"),
            Map.entry("group.id", "the group id setting"),
            Map.entry("transactional.id", "the group id setting (the prefix of transactional ids)"),
            Map.entry("transaction.timeout.ms", "the transaction timeout setting"),
            Map.entry("isolation.level", "none: the pipeline reads read_committed, for exactly-once"),
            Map.entry("enable.auto.commit", "none: offsets are committed on checkpoints, never before"),
            Map.entry("commit.offsets.on.checkpoint", "none: offsets are committed on checkpoints, never before"),
            Map.entry("auto.offset.reset", "none: a group without offsets starts at the earliest"),
            Map.entry("client.id", "client.id.prefix (the source's); every client names itself"),
            Map.entry("key.serializer", "none: the pipeline writes its own records"),
            Map.entry("value.serializer", "none: the pipeline writes its own records"),
            Map.entry("key.deserializer", "none: the pipeline reads its own records"),
            Map.entry("value.deserializer", "none: the pipeline reads its own records"));

    private final TreeMap<String, String> properties;

    private KafkaClientProperties(Map<String, String> properties) {
        this.properties = new TreeMap<>(properties);
    }

    public static KafkaClientProperties none() {
        return NONE;
    }

    /** The given properties; {@link IllegalArgumentException} naming every one that is empty or the pipeline's. */
    public static KafkaClientProperties of(Map<String, String> properties) {
        if (properties == null) {
            throw new IllegalArgumentException("Kafka client properties must not be null");
        }
        List<String> problems = problems(properties);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new KafkaClientProperties(properties);
    }

    /** What is wrong with {@code properties}, one line each (empty when nothing is). */
    public static List<String> problems(Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String name = e.getKey() == null ? "" : e.getKey().trim();
            String owner = OWNED.get(name);
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (owner != null) {
                problems.add("Kafka client property " + name + " is set by the pipeline; use " + owner);
            } else if (name.isBlank() || value.isEmpty()) {
                problems.add("Kafka client property " + name + " has no value");
            } else if (name.equals("acks") && !value.equals("all") && !value.equals("-1")) {
                problems.add("Kafka client property acks must be all (or -1): with " + value + " a broker's failure"
                        + " loses acknowledged forecasts");
            } else if (name.equals("enable.idempotence") && !value.equalsIgnoreCase("true")) {
                problems.add("Kafka client property enable.idempotence must stay true: without it a retried send"
                        + " writes a forecast twice, and transactions need it");
            }
        }
        problems.sort(null);
        return problems;
    }

    /** Hands each property to {@code client} (a builder's {@code setProperty}, or {@code Properties::put}). */
    public void applyTo(BiConsumer<String, String> client) {
        properties.forEach(client);
    }

    /** The names only: values such as {@code sasl.jaas.config} hold secrets. */
    @Override
    public String toString() {
        return "kafka client properties " + properties.keySet();
    }
}
