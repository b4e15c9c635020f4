package io.flinkrnn.operators.kafka;

/** The encoding of the observation topic's values. */
public enum ObservationFormat {
    /** Avro binary of {@code Observation} (schemas/Observation.avsc), no schema-registry header. */
    AVRO,
    /**
     * JSON objects: {@code {"key": "k", "eventTime": 1700000000000 or "2023-11-14T22:13:20Z", "values": [1.5,
     * 2.0], "attributes": {"a": "b"}}}; attributes are optional. Any other shape through a {@link FieldMapping}.
     */
    JSON,
    /**
     * The schema registry's wire format (a zero byte, the writer schema's id, the Avro body): the producer's
     * schema is fetched from the registry and resolved against the reader's, so producers may evolve it.
     * {@code Observation}-shaped, or any shape through a {@link FieldMapping}.
     */
    AVRO_REGISTRY
}
