package io.flinkrnn.deploy.job;

import io.flinkrnn.operators.kafka.KafkaClientProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The job's settings by dotted name: a YAML file ({@code --config}, nested or dotted keys), then {@code --name value}
 * overrides, each read as its typed Flink option ({@link JobOptions}) with the option's default where it is not
 * given. Unknown names, missing required values and values Flink cannot parse are {@link JobConfigException}s that
 * name the setting and where its value came from.
 */
public final class JobConfig {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> origin = new LinkedHashMap<>();

    private JobConfig() {
    }

    /**
     * Parses command-line arguments, {@code [--config FILE] [--name value | --name=value]...} ({@link
     * JobArguments}): the YAML file's settings first, then the command line's over them.
     */
    public static JobConfig parse(String[] args) {
        JobArguments line = JobArguments.parse(args);
        JobConfig c = new JobConfig();
        if (line.configFile() != null) {
            c.loadYaml(Path.of(line.configFile()));
        }
        line.settings().forEach((k, v) -> c.set(k, v, "command line"));
        return c;
    }

    /** Settings from YAML text; {@code source} names it in messages. */
    public static JobConfig fromYaml(String yaml, String source) {
        JobConfig c = new JobConfig();
        c.loadYamlText(yaml, source);
        return c;
    }

    private void loadYaml(Path file) {
        try {
            loadYamlText(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new JobConfigException("cannot read --config " + file + ": " + e.getMessage());
        }
    }

    private void loadYamlText(String yaml, String source) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        } catch (RuntimeException e) {
            throw new JobConfigException(source + " is not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof Map)) {
            throw new JobConfigException(source + ": the top level must be a mapping of settings");
        }
        flatten("", (Map<?, ?>) root, source);
    }

    private void flatten(String prefix, Map<?, ?> map, String source) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = prefix + e.getKey();
            if (e.getValue() instanceof Map) {
                flatten(name + ".", (Map<?, ?>) e.getValue(), source);
            } else if (e.getValue() instanceof List<?> list && isClientProperty(name)) {
                // Kafka's list-valued properties (ssl.enabled.protocols, ...) are comma-separated text.
                set(name, String.join(",", list.stream().map(String::valueOf).toList()), source);
            } else {
                set(name, e.getValue() == null ? "" : String.valueOf(e.getValue()), source);
            }
        }
    }

    private void set(String name, String value, String source) {
        if (!isClientProperty(name) && JobOptions.option(name).isEmpty()) {
            throw new JobConfigException("unknown setting '" + name + "' in " + source + " (flink-rnn job --help"
                    + " lists every setting)");
        }
        values.put(name, value.trim());
        origin.put(name, source);
    }

    /**
     * The value of {@code option}, parsed by Flink's {@link Configuration}: the given one, else its default. A value
     * Flink cannot parse, an empty one where empty means nothing, or a required one missing, is a {@link
     * JobConfigException} naming the setting.
     */
    public <T> T get(ConfigOption<T> option) {
        String v = values.get(option.key());
        if (v != null && v.isEmpty() && !JobOptions.isRequired(option) && JobOptions.type(option)
                != JobOptions.Type.TEXT) {
            throw malformed(option, v, null);
        }
        return optional(option).orElseThrow(() -> new JobConfigException("setting " + option.key() + " is required: "
                + JobOptions.of(option).description()));
    }

    /** The same, then {@code rule} (a check from the value's owner: what is wrong, or null) applied to it. */
    public <T> T get(ConfigOption<T> option, Function<? super T, String> rule) {
        T value = get(option);
        String problem = rule.apply(value);
        if (problem != null) {
            throw new JobConfigException(option.key() + " " + problem + where(option.key()));
        }
        return value;
    }

    /**
     * The value of {@code option}, for the settings where empty means none: empty when given empty, or unset
     * without a default.
     */
    public <T> Optional<T> optional(ConfigOption<T> option) {
        String v = values.get(option.key());
        if (v == null) {
            return option.hasDefaultValue() ? Optional.of(option.defaultValue()) : Optional.empty();
        }
        if (v.isEmpty()) {
            return JobOptions.type(option) == JobOptions.Type.TEXT && !JobOptions.isRequired(option)
                    ? Optional.of(cast(option, v)) : Optional.empty();
        }
        Configuration c = new Configuration();
        c.setString(option.key(), spelledAsFlink(option, v));
        try {
            return Optional.of(c.get(option));
        } catch (IllegalArgumentException e) {
            throw malformed(option, v, e);
        }
    }

    private JobConfigException malformed(ConfigOption<?> option, String v, Exception cause) {
        return new JobConfigException(option.key() + " must be " + JobOptions.type(option).describe(option)
                + ", got '" + v + "'" + where(option.key()), cause);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(ConfigOption<T> option, String v) {
        return (T) v;
    }

    /** An enum value in any case, '-' and '_' alike, spelled as its constant's {@code toString} for Flink to match. */
    private static String spelledAsFlink(ConfigOption<?> option, String v) {
        String norm = v.toLowerCase(Locale.ROOT).replace('_', '-');
        return JobOptions.constants(option).stream().map(Enum::toString)
                .filter(c -> c.toLowerCase(Locale.ROOT).replace('_', '-').equals(norm)).findFirst().orElse(v);
    }

    /** A rule for whole numbers from {@code min} to {@code max}. */
    public static Function<Integer, String> range(int min, int max) {
        return n -> n >= min && n <= max ? null : "must be in " + min + ".." + max + ", got " + n;
    }

    private String where(String name) {
        return " (from " + origin.getOrDefault(name, "default") + ")";
    }

    /**
     * Every setting with its value (given, else the default), for the job's start-up log; secrets as {@code ***},
     * and every Kafka client property too (they hold passwords such as {@code sasl.jaas.config}'s).
     */
    public Map<String, String> effective() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JobOption o : JobOptions.ALL) {
            String v = values.getOrDefault(o.name(), o.defaultValue() == null ? "" : o.defaultValue());
            out.put(o.name(), JobOptions.isSecret(o.name()) && !v.isEmpty() ? "***" : v);
        }
        values.keySet().stream().filter(JobConfig::isClientProperty).forEach(k -> out.put(k, "***"));
        return out;
    }

    /** Whether {@code name} is a Kafka client property's setting: {@code kafka.properties.} and a name after it. */
    private static boolean isClientProperty(String name) {
        String prefix = KafkaOptions.CLIENT_PROPERTIES;
        return name.startsWith(prefix) && name.length() > prefix.length();
    }

    /**
     * The Kafka client properties given as {@code kafka.properties.NAME}, by Kafka's {@code NAME}; one the pipeline
     * sets itself, or an empty one, is a {@link JobConfigException} naming it and where it came from.
     */
    public Map<String, String> kafkaClientProperties() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (isClientProperty(k)) {
                String name = k.substring(KafkaOptions.CLIENT_PROPERTIES.length());
                List<String> problems = KafkaClientProperties.problems(Map.of(name, v));
                if (!problems.isEmpty()) {
                    throw new JobConfigException(k + where(k) + ": " + problems.get(0));
                }
                out.put(name, v);
            }
        });
        return out;
    }

    /**
     * Every setting given as a Flink Configuration, for code that reads its own options from one ({@code
     * FieldMapping.from}, {@code RegistrySettings.from}); each value is first parsed here, so a malformed one fails
     * naming the setting and where it came from.
     */
    public Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        for (ConfigOption<?> o : JobOptions.OPTIONS) {
            String v = values.get(o.key());
            if (v != null && !v.isEmpty()) {
                optional(o);
                conf.setString(o.key(), spelledAsFlink(o, v));
            }
        }
        return conf;
    }

    /** The {@code --help} text: every setting with its default, the kind of value it takes and what it does. */
    public static String help() {
        StringBuilder b = new StringBuilder("usage: flink-rnn job [--config FILE.yaml] [--SETTING VALUE]...\n"
                + "       flink run flink-rnn-deploy-*-job.jar [--config FILE.yaml] [--SETTING VALUE]...\n\n"
                + "Reads Observations from Kafka, steps each key's LSTM/GRU once per event in Flink keyed state, and\n"
                + "writes Forecasts and DeadLetters to Kafka. Settings (YAML keys, or --name value overrides):\n\n");
        for (JobOption o : JobOptions.ALL) {
            b.append(String.format(Locale.ROOT, "  %-30s %s; %s%n  %-30s %s%n", o.name(),
                    o.defaultValue() == null ? "(required)" : "default: " + (o.defaultValue().isEmpty() ? "(empty)"
                            : o.defaultValue()), o.type(), "", o.description()));
        }
        b.append(String.format(Locale.ROOT, "  %-30s %s%n  %-30s %s%n", KafkaOptions.CLIENT_PROPERTIES + "NAME",
                "Kafka's own client property NAME", "", "for every Kafka client of the job, e.g."
                + " kafka.properties.security.protocol: SASL_SSL (values are not logged)"));
        return b.toString();
    }
}
