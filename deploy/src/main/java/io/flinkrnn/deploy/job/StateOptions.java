package io.flinkrnn.deploy.job;

import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * How long keys live, where their state lives and how it is checkpointed. {@code cluster} (or empty) leaves a
 * choice to the cluster's own configuration ({@link StateBackendSettings}).
 */
public final class StateOptions {
    /** Where keyed state lives. */
    public enum Backend {
        CLUSTER, HASHMAP, ROCKSDB;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether RocksDB checkpoints are incremental. */
    public enum Incremental {
        CLUSTER, TRUE, FALSE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("checkpoint.interval")
            .durationType().defaultValue(Duration.ofSeconds(10)).withDescription("checkpoint interval (also how"
                    + " often exactly-once output becomes visible)");
    public static final ConfigOption<Duration> TTL = ConfigOptions.key("state.ttl").durationType().noDefaultValue()
            .withDescription("empty = keep keys forever; a duration = forget keys idle this long");
    public static final ConfigOption<Backend> BACKEND = ConfigOptions.key("state.backend").enumType(Backend.class)
            .defaultValue(Backend.CLUSTER).withDescription("where keyed state lives: hashmap (on the heap), rocksdb"
                    + " (on local disk, for more state than heap), or cluster (the cluster's state.backend.type)");
    public static final ConfigOption<Incremental> INCREMENTAL_CHECKPOINTS = ConfigOptions.key(
            "state.incremental-checkpoints").enumType(Incremental.class).defaultValue(Incremental.CLUSTER)
            .withDescription("true = RocksDB checkpoints upload only new files; false = full checkpoints; cluster ="
                    + " the cluster's execution.checkpointing.incremental");
    public static final ConfigOption<String> CHECKPOINT_DIR = ConfigOptions.key("checkpoint.dir").stringType()
            .defaultValue("").withDescription("where checkpoints are written (file://, s3://, hdfs://); empty = the"
                    + " cluster's execution.checkpointing.dir");

    private StateOptions() {
    }
}
