package io.flinkrnn.deploy.job;

import io.flinkrnn.operators.kafka.FormatOptions;
import io.flinkrnn.operators.kafka.registry.RegistryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.TextElement;

/**
 * Every setting of {@code flink-rnn job}, in the order {@code --help} lists them. The input-shape, output and
 * registry settings are typed Flink {@code ConfigOption}s declared beside the code that reads them ({@link
 * FormatOptions}, {@link RegistryOptions}); they are listed here by {@link #of}, so name, default and
 * description are written once.
 */
public final class JobOptions {
    /** The settings read as typed Flink options (passed to the pipeline as a Flink Configuration). */
    public static final List<ConfigOption<?>> FLINK_OPTIONS = List.of(FormatOptions.KEY_FIELD,
            FormatOptions.TIME_FIELD, FormatOptions.VALUE_FIELDS, FormatOptions.OUTPUT_FORMAT,
            RegistryOptions.SUBJECT_STRATEGY, RegistryOptions.URL, RegistryOptions.BASIC_AUTH_USER_INFO,
            RegistryOptions.TRUSTSTORE_LOCATION, RegistryOptions.TRUSTSTORE_PASSWORD, RegistryOptions.TRUSTSTORE_TYPE,
            RegistryOptions.CACHE_CAPACITY, RegistryOptions.REQUEST_TIMEOUT, RegistryOptions.RETRY_INITIAL_BACKOFF,
            RegistryOptions.RETRY_MAX_BACKOFF, RegistryOptions.RETRY_TIMEOUT);
    public static final JobOption CONFIG_FILE = new JobOption("config", "",
            "YAML file with any of the settings below (nested or dotted keys); command-line values win");
    /** Every setting, the typed Flink options among them after {@code input.max-values}. */
    public static final List<JobOption> ALL;
    private static final List<JobOption> ALL_BUT_FLINK_OPTIONS = List.of(
            new JobOption("job.name", "flink-rnn", "Flink job name"),
            new JobOption("job.parallelism", "0", "parallelism of the job; 0 = the cluster's default"),
            new JobOption("model.uri", null,
                    "model artifact (.avro): a local path or any URI Flink's FileSystem reads (file://, s3://, hdfs://)"),
            new JobOption("model.id", "", "model id written into every forecast; empty = the artifact's file name"),
            new JobOption("model.version", "", "model version in every forecast; empty = the first 12 hex digits of"
                    + " the weights checksum"),
            new JobOption("kafka.bootstrap-servers", "localhost:9092", "Kafka brokers"),
            new JobOption("kafka.group-id", "flink-rnn", "consumer group; also the prefix of transactional ids"),
            new JobOption("topics.observations", "observations", "input topic of Observation records"),
            new JobOption("topics.forecasts", "forecasts", "output topic of Forecast records (Avro)"),
            new JobOption("topics.dead-letters", "dead-letters", "output topic of DeadLetter records (Avro)"),
            new JobOption("topics.model-updates", "", "control topic of ModelUpdate records (Avro): new models taken"
                    + " while the job runs, each key switching at its first observation at or after the update's"
                    + " effective time; empty = the model never changes while the job runs"),
            new JobOption("model-updates.granularity", "1s", "updates switch keys from multiples of this in event"
                    + " time; the control topic is read to its end at most once per such period of the stream"),
            new JobOption("input.format", "avro", "avro (Observation records), json ({key, eventTime, values}, or"
                    + " your own shape through input.key-field, input.time-field and input.value-fields) or"
                    + " avro-registry (the schema registry's wire format: the producer's schema fetched by id and"
                    + " resolved, so producers may evolve it; Observation-shaped or your own shape)"),
            new JobOption("delivery.guarantee", "exactly-once", "exactly-once (Kafka transactions committed on"
                    + " checkpoints; read with read_committed) or at-least-once"),
            new JobOption("delivery.transaction-timeout", "10min", "Kafka transaction timeout; below the broker's"
                    + " transaction.max.timeout.ms (15 min by default)"),
            new JobOption("checkpoint.interval", "10s", "checkpoint interval (also how often exactly-once output"
                    + " becomes visible)"),
            new JobOption("batch.size", "256", "observations per bundle: the most keys stepped in one kernel call"),
            new JobOption("batch.max-latency", "50ms", "longest a record waits in a bundle; 0 = flush on size,"
                    + " watermark and checkpoint only"),
            new JobOption("backend.kind", "auto", "auto (an OpenCL GPU if there is one, else Java threads), java"
                    + " or opencl"),
            new JobOption("backend.threads", "1", "Java backend threads per operator instance"),
            new JobOption("backend.allow-cpu-opencl", "false", "let auto pick an OpenCL CPU device (PoCL)"),
            new JobOption("order.time-going-back", "reject", "an event earlier than its key's last step: reject"
                    + " (dead letter TIME_WENT_BACKWARDS) or accept"),
            new JobOption("order.duplicates", "step", "an event at its key's last event time: step or reject"),
            new JobOption("order.event-time-bound", "", "empty = arrival order; a duration = step each key in"
                    + " event-time order, waiting up to this much for late records (later ones: LATE)"),
            new JobOption("order.max-event-time-ahead", "15min", "an event time further ahead of its Kafka record's"
                    + " timestamp is a dead letter EVENT_TIME_AHEAD (a device clock off), so it cannot turn its key's"
                    + " honest records away as TIME_WENT_BACKWARDS; empty = no bound"),
            new JobOption("input.max-record-bytes", "1048576", "a Kafka record (value or key) larger than this is a"
                    + " dead letter RECORD_TOO_LARGE, not decoded"),
            new JobOption("input.max-key-bytes", "1024", "a series key longer than this (UTF-8 bytes), or holding a"
                    + " control character or bytes that were not UTF-8, is a dead letter BAD_KEY"),
            new JobOption("input.max-values", "1024", "a record with more values is a dead letter TOO_MANY_VALUES"
                    + " (JSON decoding stops there)"),
            new JobOption("state.ttl", "", "empty = keep keys forever; a duration = forget keys idle this long"),
            new JobOption("state.backend", "cluster", "where keyed state lives: hashmap (on the heap), rocksdb (on"
                    + " local disk, for more state than heap), or cluster (the cluster's state.backend.type)"),
            new JobOption("state.incremental-checkpoints", "cluster", "true = RocksDB checkpoints upload only new"
                    + " files; false = full checkpoints; cluster = the cluster's execution.checkpointing.incremental"),
            new JobOption("checkpoint.dir", "", "where checkpoints are written (file://, s3://, hdfs://); empty ="
                    + " the cluster's execution.checkpointing.dir"),
            new JobOption("anomaly.scoring", "auto", "anomaly score per forecast from the key's one-step forecast"
                    + " errors: on, off, or auto (on when every target is also an input feature)"),
            new JobOption("anomaly.threshold", "0.5", "forecasts whose anomaly score (in [0, 1]) reaches this are"
                    + " flagged; 0.5 = a tail probability of 1e-5"),
            new JobOption("anomaly.surprise", "4.5", "forecasts whose surprise (a sudden change: one-step error, or"
                    + " the last 3 rows' against earlier forecasts, over the key's usual size) reaches this and the"
                    + " key's own 99.9% quantile of surprises are flagged too, at once; 0 = only the anomaly score"
                    + " flags"),
            new JobOption("anomaly.anomalous.enter", "4", "forecasts are anomalous from a row where a target lies"
                    + " this many of the key's standard deviations from its learned normal"),
            new JobOption("anomaly.anomalous.clear-rows", "30", "... until this many rows in a row stay under it"),
            new JobOption("adaptation", "off", "per-key online adaptation of the forecasts: off, or head (a per-key"
                    + " correction of the head learned by normalised LMS; needs every target among the features)"),
            new JobOption("intervals.coverage", "0.9", "forecast intervals from each key's own errors, aiming to hold"
                    + " this share of outcomes; 0 = off (intervals need every target among the input features)"));

    static {
        List<JobOption> all = new ArrayList<>(ALL_BUT_FLINK_OPTIONS);
        int after = all.indexOf(find(all, "input.max-values"));
        for (int i = 0; i < FLINK_OPTIONS.size(); i++) {
            all.add(after + 1 + i, of(FLINK_OPTIONS.get(i)));
        }
        ALL = List.copyOf(all);
    }

    private JobOptions() {
    }

    /** The job setting of a typed Flink option: its key, its default as the setting writes it, its description. */
    public static JobOption of(ConfigOption<?> option) {
        String description = option.description().getBlocks().stream().filter(b -> b instanceof TextElement)
                .map(b -> ((TextElement) b).getFormat()).findFirst().orElse("");
        return new JobOption(option.key(), option.hasDefaultValue() ? text(option.defaultValue()) : "", description);
    }

    private static String text(Object value) {
        if (value instanceof Duration d) {
            long ms = d.toMillis();
            return ms % 60_000 == 0 ? ms / 60_000 + "min" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
        return String.valueOf(value);
    }

    /** Settings whose values stay out of logs: passwords and credentials. */
    public static boolean isSecret(String name) {
        return name.endsWith("password") || name.endsWith("user-info");
    }

    private static JobOption find(List<JobOption> options, String name) {
        return options.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    public static Optional<JobOption> find(String name) {
        return ALL.stream().filter(o -> o.name().equals(name)).findFirst();
    }
}
