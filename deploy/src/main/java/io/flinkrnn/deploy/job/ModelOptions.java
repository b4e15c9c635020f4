package io.flinkrnn.deploy.job;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Which model the job runs, the names its forecasts carry, and the models it takes while it runs. */
public final class ModelOptions {
    /** Required: the one setting without a default. */
    public static final ConfigOption<String> URI = ConfigOptions.key("model.uri").stringType().noDefaultValue()
            .withDescription("model artifact (.avro): a local path or any URI Flink's FileSystem reads (file://,"
                    + " s3://, hdfs://)");
    public static final ConfigOption<String> ID = ConfigOptions.key("model.id").stringType().defaultValue("")
            .withDescription("model id written into every forecast; empty = the artifact's file name");
    public static final ConfigOption<String> VERSION = ConfigOptions.key("model.version").stringType()
            .defaultValue("").withDescription("model version in every forecast; empty = the first 12 hex digits of"
                    + " the weights checksum");
    public static final ConfigOption<String> UPDATES_TOPIC = ConfigOptions.key("topics.model-updates").stringType()
            .defaultValue("").withDescription("control topic of ModelUpdate records (Avro): new models taken while"
                    + " the job runs, each key switching at its first observation at or after the update's effective"
                    + " time; empty = the model never changes while the job runs");
    public static final ConfigOption<Duration> UPDATES_GRANULARITY = ConfigOptions.key("model-updates.granularity")
            .durationType().defaultValue(Duration.ofSeconds(1)).withDescription("updates switch keys from"
                    + " multiples of this in event time; the control topic is read to its end at most once per such"
                    + " period of the stream");

    private ModelOptions() {
    }
}
