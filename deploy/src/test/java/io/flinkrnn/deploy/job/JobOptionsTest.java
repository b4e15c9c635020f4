package io.flinkrnn.deploy.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.operators.kafka.ObservationFormat;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

/** The help is generated from the options, so it lists each with its default, kind of value and description. */
class JobOptionsTest {
    private static final String HELP = JobConfig.help();

    @Test
    void helpListsEveryOptionWithItsDefaultTypeAndDescription() {
        assertEquals(JobOptions.OPTIONS.size(), JobOptions.ALL.size());
        for (ConfigOption<?> o : JobOptions.OPTIONS) {
            JobOption s = JobOptions.of(o);
            String line = "  " + String.format("%-30s", o.key()) + " " + (s.defaultValue() == null ? "(required)"
                    : "default: " + (s.defaultValue().isEmpty() ? "(empty)" : s.defaultValue())) + "; " + s.type();
            assertTrue(HELP.contains(line + "\n"), "help lacks: " + line);
            assertTrue(!s.description().isEmpty() && HELP.contains(s.description()), o.key());
        }
        assertEquals(JobOptions.OPTIONS.size(), JobOptions.OPTIONS.stream().map(ConfigOption::key).distinct().count());
    }

    @Test
    void aDurationIsWrittenAsTheSettingTakesIt() {
        assertTrue(HELP.contains("batch.max-latency              default: 50ms; a duration like 10s, 50ms or 10min"),
                HELP);
        assertTrue(HELP.contains("delivery.transaction-timeout   default: 10min;"));
        assertTrue(HELP.contains("order.event-time-bound         default: (empty); a duration"));
    }

    @Test
    void anEnumListsItsChoicesAsTheSettingTakesThem() {
        assertTrue(HELP.contains("input.format                   default: avro; one of avro, json, avro-registry"),
                HELP);
        assertTrue(HELP.contains("delivery.guarantee             default: exactly-once; one of exactly-once,"
                + " at-least-once"), HELP);
        for (String spelling : new String[] {"avro-registry", "AVRO_REGISTRY", "Avro-Registry"}) {
            assertEquals(ObservationFormat.AVRO_REGISTRY, JobConfig.parse(new String[] {"--input.format", spelling})
                    .get(KafkaOptions.INPUT_FORMAT), "any case, '-' and '_' alike: " + spelling);
        }
    }

    @Test
    void aSizeTakesBytesOrAUnit() {
        assertTrue(HELP.contains("input.max-record-bytes         default: 1 mb; a size in bytes, or like 64kb or 1mb"),
                HELP);
        assertEquals(MemorySize.parse("1048576"), JobConfig.parse(new String[0]).get(InputOptions.MAX_RECORD_BYTES));
        assertEquals(2 << 20, JobConfig.parse(new String[] {"--input.max-record-bytes", "2mb"})
                .get(InputOptions.MAX_RECORD_BYTES).getBytes());
        assertEquals(4096, JobConfig.fromYaml("input:\n  max-key-bytes: 4096\n", "job.yaml")
                .get(InputOptions.MAX_KEY_BYTES).getBytes());
    }

    @Test
    void theRequiredSettingIsMarkedAndNoOtherIs() {
        assertTrue(HELP.contains("model.uri                      (required); text"), HELP);
        assertEquals(1, JobOptions.ALL.stream().filter(o -> o.defaultValue() == null).count());
    }
}
