package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                Map.of("group.id", "g", "isolation.level", "read_uncommitted", "compression.type", " ")));
        assertEquals("Kafka client property compression.type has no value; Kafka client property group.id is set"
                + " by the pipeline; use the group id setting; Kafka client property isolation.level is set by the"
                + " pipeline; use nothing: the pipeline reads read_committed for exactly-once", e.getMessage());
    }

    @Test
    void thePipelineBuilderNamesThemAmongItsOtherProblems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaForecastPipeline
                .builder().bootstrapServers("k:9092").clientProperties(Map.of("transactional.id", "x")).build());
        assertTrue(e.getMessage().contains("Kafka client property transactional.id is set by the pipeline"),
                e.getMessage());
    }
}
