package io.flinkrnn.deploy.job;

import io.flinkrnn.operators.kafka.FormatOptions;
import io.flinkrnn.operators.kafka.registry.RegistryOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.TextElement;

/**
 * The job's own settings ({@link #NAME}, {@link #PARALLELISM}) and the list of every setting of {@code flink-rnn
 * job}, in the order {@code --help} lists them. Each setting is a typed Flink {@code ConfigOption} declared once,
 * with its default and description, in the holder of its theme ({@link ModelOptions}, {@link KafkaOptions},
 * {@link FormatOptions}, {@link RegistryOptions}, {@link StepOptions}, {@link InputOptions}, {@link StateOptions},
 * {@link AnomalyOptions}, {@link ForecastOptions}); {@code --help}, the README table and the container files are
 * checked against this list.
 */
public final class JobOptions {
    public static final ConfigOption<String> NAME = ConfigOptions.key("job.name").stringType()
            .defaultValue("flink-rnn").withDescription("Flink job name");
    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("job.parallelism").intType()
            .defaultValue(0).withDescription("parallelism of the job; 0 = the cluster's default");

    public static final JobOption CONFIG_FILE = new JobOption("config", "", "a YAML file",
            "YAML file with any of the settings below (nested or dotted keys); command-line values win");

    /** Every setting, in the order {@code --help} lists them. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(NAME, PARALLELISM, ModelOptions.URI,
            ModelOptions.ID, ModelOptions.VERSION, KafkaOptions.BOOTSTRAP_SERVERS, KafkaOptions.GROUP_ID,
            KafkaOptions.OBSERVATIONS_TOPIC, KafkaOptions.FORECASTS_TOPIC, KafkaOptions.DEAD_LETTERS_TOPIC,
            ModelOptions.UPDATES_TOPIC, ModelOptions.UPDATES_GRANULARITY, KafkaOptions.INPUT_FORMAT,
            KafkaOptions.DELIVERY_GUARANTEE, KafkaOptions.TRANSACTION_TIMEOUT, StateOptions.CHECKPOINT_INTERVAL,
            StepOptions.BATCH_SIZE, StepOptions.BATCH_MAX_LATENCY, StepOptions.BACKEND_KIND,
            StepOptions.BACKEND_THREADS, StepOptions.ALLOW_CPU_OPENCL, InputOptions.TIME_GOING_BACK,
            InputOptions.DUPLICATES, InputOptions.EVENT_TIME_BOUND, InputOptions.MAX_EVENT_TIME_AHEAD,
            InputOptions.MAX_RECORD_BYTES, InputOptions.MAX_KEY_BYTES, InputOptions.MAX_VALUES,
            FormatOptions.KEY_FIELD, FormatOptions.TIME_FIELD, FormatOptions.VALUE_FIELDS, FormatOptions.OUTPUT_FORMAT,
            RegistryOptions.SUBJECT_STRATEGY, RegistryOptions.URL, RegistryOptions.BASIC_AUTH_USER_INFO,
            RegistryOptions.TRUSTSTORE_LOCATION, RegistryOptions.TRUSTSTORE_PASSWORD, RegistryOptions.TRUSTSTORE_TYPE,
            RegistryOptions.CACHE_CAPACITY, RegistryOptions.REQUEST_TIMEOUT, RegistryOptions.RETRY_INITIAL_BACKOFF,
            RegistryOptions.RETRY_MAX_BACKOFF, RegistryOptions.RETRY_TIMEOUT, StateOptions.TTL, StateOptions.BACKEND,
            StateOptions.INCREMENTAL_CHECKPOINTS, StateOptions.CHECKPOINT_DIR, AnomalyOptions.SCORING,
            AnomalyOptions.THRESHOLD, AnomalyOptions.SURPRISE, AnomalyOptions.ANOMALOUS_ENTER,
            AnomalyOptions.ANOMALOUS_CLEAR_ROWS, ForecastOptions.ADAPTATION, ForecastOptions.INTERVALS_COVERAGE);

    /** The settings that must be given: the ones without a default that are not "empty = none". */
    private static final List<ConfigOption<?>> REQUIRED = List.of(ModelOptions.URI);

    /** Every setting as name, default and description, generated from {@link #OPTIONS}. */
    public static final List<JobOption> ALL = OPTIONS.stream().map(JobOptions::of).toList();

    private JobOptions() {
    }

    /** The job setting of a typed Flink option: its key, its default as the setting writes it, its description. */
    public static JobOption of(ConfigOption<?> option) {
        String description = option.description().getBlocks().stream().filter(b -> b instanceof TextElement)
                .map(b -> ((TextElement) b).getFormat()).findFirst().orElse("");
        String defaultValue = REQUIRED.contains(option) ? null : option.hasDefaultValue()
                ? text(option.defaultValue()) : "";
        return new JobOption(option.key(), defaultValue, type(option).describe(option), description);
    }

    /** A value as a setting writes it: {@code 10s}, {@code 1 mb}, {@code at-least-once}, {@code 4}. */
    static String text(Object value) {
        if (value instanceof Duration d) {
            long ms = d.toMillis();
            return ms % 60_000 == 0 && ms > 0 ? ms / 60_000 + "min" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
        if (value instanceof Enum<?> e) {
            return e.toString().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** The kinds of value a setting takes, each with how {@code --help} and error messages describe it. */
    enum Type {
        TEXT("text"), DURATION("a duration like 10s, 50ms or 10min"), SIZE("a size in bytes, or like 64kb or 1mb"),
        WHOLE("a whole number"), NUMBER("a number"), BOOLEAN("true or false"), CHOICE("one of");

        final String expected;

        Type(String expected) {
            this.expected = expected;
        }

        String describe(ConfigOption<?> option) {
            return this == CHOICE ? expected + " " + choices(option) : expected;
        }
    }

    /**
     * The type of {@code option}: its default's class, or for an option without one, which value Flink accepts
     * (text takes anything, then a duration, a size, a number, a boolean), since Flink keeps the class to itself.
     */
    static Type type(ConfigOption<?> option) {
        Object d = option.hasDefaultValue() ? option.defaultValue() : null;
        if (d != null) {
            return d instanceof Duration ? Type.DURATION : d instanceof MemorySize ? Type.SIZE : d instanceof Enum
                    ? Type.CHOICE : d instanceof Integer || d instanceof Long ? Type.WHOLE : d instanceof Double
                    ? Type.NUMBER : d instanceof Boolean ? Type.BOOLEAN : Type.TEXT;
        }
        for (String[] probe : new String[][] {{"x", "TEXT"}, {"1s", "DURATION"}, {"1kb", "SIZE"}, {"1.5", "NUMBER"},
            {"1", "WHOLE"}, {"true", "BOOLEAN"}}) {
            Configuration c = new Configuration();
            c.setString(option.key(), probe[0]);
            try {
                c.get(option);
                return Type.valueOf(probe[1]);
            } catch (IllegalArgumentException e) {
                // not this type
            }
        }
        return Type.TEXT;
    }

    /** The choices of an enum-typed option as settings write them ({@code avro, json, avro-registry}). */
    static String choices(ConfigOption<?> option) {
        return constants(option).stream().map(JobOptions::text).collect(Collectors.joining(", "));
    }

    static List<Enum<?>> constants(ConfigOption<?> option) {
        if (!(option.hasDefaultValue() && option.defaultValue() instanceof Enum<?> e)) {
            return List.of();
        }
        return Arrays.asList(e.getDeclaringClass().getEnumConstants());
    }

    /** Whether {@code option} must be given: it has no default, and empty does not mean none. */
    static boolean isRequired(ConfigOption<?> option) {
        return REQUIRED.contains(option);
    }

    /** Settings whose values stay out of logs: passwords and credentials. */
    public static boolean isSecret(String name) {
        return name.endsWith("password") || name.endsWith("user-info");
    }

    public static Optional<JobOption> find(String name) {
        return ALL.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    static Optional<ConfigOption<?>> option(String name) {
        return OPTIONS.stream().filter(o -> o.key().equals(name)).findFirst();
    }
}
