package io.flinkrnn.deploy.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.util.TimeUtils;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The job's settings as strings by dotted name: defaults from {@link JobOptions}, then a YAML file
 * ({@code --config}, nested or dotted keys), then {@code --name value} overrides. Unknown names, missing
 * required values and malformed values are {@link JobConfigException}s that name the setting.
 */
public final class JobConfig {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> origin = new LinkedHashMap<>();

    private JobConfig() {
        for (JobOption o : JobOptions.ALL) {
            if (o.defaultValue() != null) {
                values.put(o.name(), o.defaultValue());
                origin.put(o.name(), "default");
            }
        }
    }

    /** Parses command-line arguments: {@code [--config FILE] [--name value | --name=value]...}. */
    public static JobConfig parse(String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        String file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new JobConfigException("unexpected argument '" + a + "' (settings look like --name value)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new JobConfigException("--" + name + " needs a value");
            }
            if (name.equals(JobOptions.CONFIG_FILE.name())) {
                file = value;
            } else {
                overrides.put(name, value);
            }
        }
        JobConfig c = new JobConfig();
        if (file != null) {
            c.loadYaml(Path.of(file));
        }
        overrides.forEach((k, v) -> c.set(k, v, "command line"));
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
            } else {
                set(name, e.getValue() == null ? "" : String.valueOf(e.getValue()), source);
            }
        }
    }

    private void set(String name, String value, String source) {
        if (JobOptions.find(name).isEmpty()) {
            throw new JobConfigException("unknown setting '" + name + "' in " + source + " (flink-rnn job --help"
                    + " lists every setting)");
        }
        values.put(name, value.trim());
        origin.put(name, source);
    }

    public String string(String name) {
        JobOption o = JobOptions.find(name).orElseThrow(() -> new IllegalArgumentException("no setting " + name));
        String v = values.get(name);
        if (v == null || (o.defaultValue() == null && v.isEmpty())) {
            throw new JobConfigException("setting " + name + " is required: " + o.description());
        }
        return v;
    }

    public int integer(String name, int min, int max) {
        String v = string(name);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new JobConfigException(name + " must be in " + min + ".." + max + ", got " + n + where(name));
            }
            return n;
        } catch (NumberFormatException e) {
            throw new JobConfigException(name + " must be a whole number, got '" + v + "'" + where(name), e);
        }
    }

    /** A duration like {@code 10s}, {@code 50ms}, {@code 10min}; empty gives null. */
    public Duration duration(String name) {
        String v = string(name);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return TimeUtils.parseDuration(v);
        } catch (RuntimeException e) {
            throw new JobConfigException(name + " must be a duration like 10s, 50ms or 10min, got '" + v + "'"
                    + where(name), e);
        }
    }

    /** A number in [min, max]. */
    public double decimal(String name, double min, double max) {
        String v = string(name);
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw new JobConfigException(name + " must be in " + min + ".." + max + ", got " + v + where(name));
            }
            return d;
        } catch (NumberFormatException e) {
            throw new JobConfigException(name + " must be a number, got '" + v + "'" + where(name), e);
        }
    }

    public boolean bool(String name) {
        String v = string(name).toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new JobConfigException(name + " must be true or false, got '" + v + "'" + where(name));
    }

    /** One of {@code choices} (case-insensitive, '-' and '_' alike), returned in lower case with '-'. */
    public String choice(String name, String... choices) {
        String v = string(name).toLowerCase(Locale.ROOT).replace('_', '-');
        for (String c : choices) {
            if (c.equals(v)) {
                return c;
            }
        }
        throw new JobConfigException(name + " must be one of " + String.join(", ", choices) + ", got '"
                + string(name) + "'" + where(name));
    }

    private String where(String name) {
        return " (from " + origin.getOrDefault(name, "default") + ")";
    }

    /** Every setting with its value, for the job's start-up log; secrets as {@code ***}. */
    public Map<String, String> effective() {
        Map<String, String> out = new LinkedHashMap<>(values);
        out.replaceAll((k, v) -> JobOptions.isSecret(k) && !v.isEmpty() ? "***" : v);
        return out;
    }

    /**
     * The settings that are typed Flink options ({@link JobOptions#FLINK_OPTIONS}) as a Flink Configuration,
     * for the code that declares them to parse.
     */
    public org.apache.flink.configuration.Configuration flinkConfiguration() {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        for (org.apache.flink.configuration.ConfigOption<?> o : JobOptions.FLINK_OPTIONS) {
            String v = values.get(o.key());
            if (v != null && !v.isEmpty()) {
                conf.setString(o.key(), v);
            }
        }
        return conf;
    }

    /** The {@code --help} text: every setting with its default. */
    public static String help() {
        StringBuilder b = new StringBuilder("usage: flink-rnn job [--config FILE.yaml] [--SETTING VALUE]...\n"
                + "       flink run flink-rnn-deploy-*-job.jar [--config FILE.yaml] [--SETTING VALUE]...\n\n"
                + "Reads Observations from Kafka, steps each key's LSTM/GRU once per event in Flink keyed state, and\n"
                + "writes Forecasts and DeadLetters to Kafka. Settings (YAML keys, or --name value overrides):\n\n");
        for (JobOption o : JobOptions.ALL) {
            b.append(String.format(Locale.ROOT, "  %-30s %s%n  %-30s %s%n", o.name(),
                    o.defaultValue() == null ? "(required)" : "default: " + (o.defaultValue().isEmpty() ? "(empty)"
                            : o.defaultValue()), "", o.description()));
        }
        return b.toString();
    }
}
