package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {
    @Test
    void everyPropertyReachesTheClientAndNoValueReachesTheLog() {
        KafkaClientProperties c = KafkaClientProperties.of(Map.of("security.protocol", "SASL_SSL",
                "sasl.jaas.config", "secret-line"));
        Properties p = new Properties();
        c.applyTo(p::put);
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("secret-line", p.get("sasl.jaas.config"));
        assertEquals("kafka client properties [sasl.jaas.config, security.protocol]", c.toString());
    }

    @Test
    void theOnesThePipelineSetsAndEmptyOnesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaClientProperties.of(
                Map.of("group.id", "g", "enable.auto.commit", "true", "compression.type", " ")));
        assertEquals("Kafka client property compression.type has no value; Kafka client property enable.auto.commit"
                + " is set by the pipeline; use none: offsets are committed on checkpoints, never before; Kafka client"
                + " property group.id is set by the pipeline; use the group id setting", e.getMessage());
    }

    @Test
    void settingsThatWouldLoseOrRepeatForecastsAreRefused() {
        assertEquals(List.of("Kafka client property acks must be all (or -1): with 1 a broker's failure loses"
                + " acknowledged forecasts", "Kafka client property enable.idempotence must stay true: without it a"
                + " retried send writes a forecast twice, and transactions need it"), KafkaClientProperties.problems(
                Map.of("acks", "1", "enable.idempotence", "false")));
        assertEquals(List.of(), KafkaClientProperties.problems(Map.of("acks", "all", "enable.idempotence", "true",
                "compression.type", "lz4")));
    }

    @Test
    void thePipelineBuilderNamesThemAmongItsOtherProblems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaForecastPipeline
                .builder().bootstrapServers("k:9092").clientProperties(Map.of("transactional.id", "x")).build());
        assertTrue(e.getMessage().contains("Kafka client property transactional.id is set by the pipeline"),
                e.getMessage());
    }
}
