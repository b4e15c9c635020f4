package io.flinkrnn.operators.kafka;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The settings for records of a user's own shape and for the output format, as typed Flink options (the
 * registry's own are {@code RegistryOptions}): one declaration each, with its default and description, read
 * by {@link FieldMapping#from} and the job.
 */
public final class FormatOptions {
    public static final ConfigOption<String> KEY_FIELD = ConfigOptions.key("input.key-field").stringType()
            .defaultValue("").withDescription("field holding the series key (string or integer), a dotted path for"
                    + " nested fields; with input.time-field and input.value-fields, records of your own shape"
                    + " (json or avro-registry); all empty = Observation records");
    public static final ConfigOption<String> TIME_FIELD = ConfigOptions.key("input.time-field").stringType()
            .defaultValue("").withDescription("field holding the event time: epoch millis, an ISO-8601 string, or"
                    + " an Avro timestamp-millis/-micros/-nanos (local-timestamp too, read as UTC)");
    public static final ConfigOption<String> VALUE_FIELDS = ConfigOptions.key("input.value-fields")
            .stringType().defaultValue("").withDescription("numeric fields, one per model feature in the"
                    + " model's order, separated by commas (dotted paths for nested fields)");
    public static final ConfigOption<OutputFormat> OUTPUT_FORMAT = ConfigOptions.key("output.format")
            .enumType(OutputFormat.class).defaultValue(OutputFormat.AVRO).withDescription("how forecasts and dead"
                    + " letters are written: avro (plain Avro binary) or avro-registry (schema registered at start,"
                    + " each record framed with its id; needs registry.url)");

    private FormatOptions() {
    }
}
