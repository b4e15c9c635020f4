package io.flinkrnn.operators.kafka.registry;

import java.io.IOException;

/** The registry answered that it has no schema with the id a record carries (HTTP 404, error code 40403). */
public final class SchemaNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public SchemaNotFoundException(String message) {
        super(message);
    }
}
