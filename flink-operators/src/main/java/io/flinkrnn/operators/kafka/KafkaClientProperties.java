package io.flinkrnn.operators.kafka;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final Map<String, String> OWNED = Map.of(
            "bootstrap.servers", "the bootstrap servers setting",
            "group.id", "the group id setting",
            "transactional.id", "the group id setting (the prefix of transactional ids)",
            "transaction.timeout.ms", "the transaction timeout setting",
            "isolation.level", "nothing: the pipeline reads read_committed for exactly-once",
            "key.serializer", "nothing: the pipeline writes its own records",
            "value.serializer", "nothing: the pipeline writes its own records",
            "key.deserializer", "nothing: the pipeline reads its own records",
            "value.deserializer", "nothing: the pipeline reads its own records");

    private final TreeMap<String, String> properties;

    private KafkaClientProperties(Map<String, String> properties) {
        this.properties = new TreeMap<>(properties);
    }

    public static KafkaClientProperties none() {
        return NONE;
    }

    /** The given properties; {@link IllegalArgumentException} naming every one that is empty or the pipeline's. */
    public static KafkaClientProperties of(Map<String, String> properties) {
        List<String> problems = problems(properties);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new KafkaClientProperties(properties);
    }

    /** What is wrong with {@code properties}, one line each (empty when nothing is). */
    public static List<String> problems(Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
            String owner = OWNED.get(e.getKey());
            if (owner != null) {
                problems.add("Kafka client property " + e.getKey() + " is set by the pipeline; use " + owner);
            } else if (e.getKey().isBlank() || e.getValue() == null || e.getValue().isBlank()) {
                problems.add("Kafka client property " + e.getKey() + " has no value");
            }
        }
        return problems;
    }

    /** Hands each property to {@code client} (a builder's {@code setProperty}, or {@code Properties::put}). */
    public void applyTo(BiConsumer<String, String> client) {
        properties.forEach(client);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(properties.keySet());
    }

    /** The names only: values such as {@code sasl.jaas.config} hold secrets. */
    @Override
    public String toString() {
        return "kafka client properties " + properties.keySet();
    }
}
