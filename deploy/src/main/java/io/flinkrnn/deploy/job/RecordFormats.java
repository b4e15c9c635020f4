package io.flinkrnn.deploy.job;

import io.flinkrnn.operators.kafka.FieldMapping;
import io.flinkrnn.operators.kafka.FormatOptions;
import io.flinkrnn.operators.kafka.ObservationFormat;
import io.flinkrnn.operators.kafka.OutputFormat;
import io.flinkrnn.operators.kafka.registry.RegistryOptions;
import io.flinkrnn.operators.kafka.registry.RegistrySettings;
import io.flinkrnn.operators.kafka.registry.SubjectStrategy;
import org.apache.flink.configuration.Configuration;

/**
 * The job's record settings read once: the input's field mapping (none: Observations), the output format, the
 * registry (only when a format needs it) and the subject strategy. Flink parses the typed options; every
 * problem becomes a {@link JobConfigException} naming the setting.
 */
record RecordFormats(FieldMapping mapping, OutputFormat output, RegistrySettings registry, SubjectStrategy subjects) {

    static RecordFormats of(JobConfig c, ObservationFormat input) {
        Configuration conf = c.flinkConfiguration();
        try {
            FieldMapping mapping = FieldMapping.from(conf).orElse(null);
            if (mapping != null && input == ObservationFormat.AVRO) {
                throw new JobConfigException("input.key-field, input.time-field and input.value-fields need"
                        + " input.format json or avro-registry; plain avro carries no schema to find them in");
            }
            OutputFormat output = conf.get(FormatOptions.OUTPUT_FORMAT);
            boolean needsRegistry = input == ObservationFormat.AVRO_REGISTRY || output == OutputFormat.AVRO_REGISTRY;
            if (needsRegistry && conf.get(RegistryOptions.URL).isBlank()) {
                throw new JobConfigException("registry.url must be set for " + (input == ObservationFormat.AVRO_REGISTRY
                        ? "input.format" : "output.format") + " avro-registry");
            }
            RegistrySettings registry = needsRegistry ? RegistrySettings.from(conf) : null;
            return new RecordFormats(mapping, output, registry, conf.get(RegistryOptions.SUBJECT_STRATEGY));
        } catch (IllegalArgumentException e) {
            throw new JobConfigException(e.getMessage(), e);
        }
    }

    /** One line for the start-up log (no secrets: RegistrySettings hides them). */
    String describe(ObservationFormat input) {
        return "in " + input + (mapping == null ? " (Observation)" : " " + mapping) + ", out " + output
                + (output == OutputFormat.AVRO_REGISTRY ? " (subjects " + subjects + ")" : "")
                + (registry == null ? "" : ", " + registry);
    }
}
