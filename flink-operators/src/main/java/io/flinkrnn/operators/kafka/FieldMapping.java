package io.flinkrnn.operators.kafka;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Which fields of a user's own records are the series key, the event time and the model's features, by name,
 * so a topic is read as its producers write it ({@code {sensor_id, ts, temperature, pressure}}) instead of
 * as flink-rnn's {@code Observation}. A dotted path reaches into nested records ({@code reading.temperature});
 * value fields come in the model's feature order. The same mapping reads JSON and registry Avro.
 */
public record FieldMapping(String keyField, String timeField, List<String> valueFields) implements Serializable {

    public FieldMapping {
        valueFields = valueFields == null ? List.of() : List.copyOf(valueFields);
        List<String> problems = new ArrayList<>();
        checkPath(problems, FormatOptions.KEY_FIELD.key(), keyField);
        checkPath(problems, FormatOptions.TIME_FIELD.key(), timeField);
        if (valueFields.isEmpty()) {
            problems.add(FormatOptions.VALUE_FIELDS.key() + " names no field");
        }
        for (String v : valueFields) {
            checkPath(problems, FormatOptions.VALUE_FIELDS.key(), v);
        }
        if (problems.isEmpty()) {
            List<String> all = new ArrayList<>(List.of(keyField, timeField));
            all.addAll(valueFields);
            Set<String> seen = new HashSet<>();
            for (String p : all) {
                if (!seen.add(p)) {
                    problems.add("field '" + p + "' is mapped twice");
                }
                for (String q : all) {
                    if (q.startsWith(p + ".")) {
                        problems.add("field '" + p + "' cannot be both a value and the record holding '" + q + "'");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void checkPath(List<String> problems, String setting, String path) {
        if (path == null || path.isBlank()) {
            problems.add(setting + " is empty");
        } else if (path.startsWith(".") || path.endsWith(".") || path.contains("..") || !path.strip().equals(path)) {
            problems.add(setting + " '" + path + "' is not a dotted path like reading.temperature");
        }
    }

    public static FieldMapping of(String keyField, String timeField, String... valueFields) {
        return new FieldMapping(keyField, timeField, List.of(valueFields));
    }

    /**
     * The mapping in {@code config}; empty when none of {@link FormatOptions#KEY_FIELD}, {@code TIME_FIELD} and
     * {@code VALUE_FIELDS} is set (the records are {@code Observation}s); all three or none.
     */
    public static Optional<FieldMapping> from(ReadableConfig config) {
        String key = config.get(FormatOptions.KEY_FIELD);
        String time = config.get(FormatOptions.TIME_FIELD);
        List<String> values = java.util.Arrays.stream(config.get(FormatOptions.VALUE_FIELDS).split(","))
                .map(String::strip).filter(v -> !v.isEmpty()).toList();
        if (key.isEmpty() && time.isEmpty() && values.isEmpty()) {
            return Optional.empty();
        }
        if (key.isEmpty() || time.isEmpty() || values.isEmpty()) {
            throw new IllegalArgumentException(FormatOptions.KEY_FIELD.key() + ", " + FormatOptions.TIME_FIELD.key()
                    + " and " + FormatOptions.VALUE_FIELDS.key() + " are set together or not at all; got key '" + key
                    + "', time '" + time + "', values " + values);
        }
        return Optional.of(new FieldMapping(key, time, values));
    }

    /** Every mapped path, split at the dots: key, time, then the values in order. */
    List<String[]> paths() {
        List<String[]> out = new ArrayList<>();
        out.add(keyField.split("\\."));
        out.add(timeField.split("\\."));
        valueFields.forEach(v -> out.add(v.split("\\.")));
        return out;
    }

    /** The name of path {@code slot} of {@link #paths()}, for messages. */
    String field(int slot) {
        return slot == 0 ? keyField : slot == 1 ? timeField : valueFields.get(slot - 2);
    }

    /**
     * An ISO-8601 time: with {@code Z} or an offset ({@code 2024-03-01T12:00:00.250+01:00}), or without one,
     * read as UTC. Null when {@code text} is none of these.
     */
    static Instant isoTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
