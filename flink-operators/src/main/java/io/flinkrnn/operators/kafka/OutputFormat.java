package io.flinkrnn.operators.kafka;

import java.util.Locale;

/** How forecasts and dead letters are written to their topics. */
public enum OutputFormat {
    /** Avro binary of {@code Forecast} / {@code DeadLetter}, no header: what flink-rnn's own readers expect. */
    AVRO,
    /**
     * The schema registry's wire format: the schema registered at start (subject by {@code
     * output.subject-strategy}), each value framed with its id, so any registry-aware consumer reads it.
     */
    AVRO_REGISTRY;

    /** The setting's spelling, {@code avro-registry}; Flink's options match it case-insensitively. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
