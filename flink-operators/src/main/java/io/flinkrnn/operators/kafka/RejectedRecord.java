package io.flinkrnn.operators.kafka;

import io.flinkrnn.schemas.DeadLetterReason;
import java.io.IOException;

/**
 * A record that decoding turned away for a reason of its own (not just UNDECODABLE): too many values, a schema
 * id the registry does not know, a mapped field the record or its schema lacks. The deserializer makes it a
 * dead letter with {@link #reason()}.
 */
public class RejectedRecord extends IOException {
    private static final long serialVersionUID = 1L;
    private final DeadLetterReason reason;

    public RejectedRecord(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
