package io.flinkrnn.operators.kafka;

/** The encoding of the observation topic's values. */
public enum ObservationFormat {
    /** Avro binary of {@code Observation} (schemas/Observation.avsc), no schema-registry header. */
    AVRO,
    /**
     * JSON objects: {@code {"key": "k", "eventTime": 1700000000000 or "2023-11-14T22:13:20Z", "values": [1.5,
     * 2.0], "attributes": {"a": "b"}}}; attributes are optional.
     */
    JSON
}
