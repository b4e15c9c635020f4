package io.flinkrnn.operators;

import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Observation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** The dead-letter side output and how its records are made. */
public final class DeadLetters {
    /** Side output of the forecasting pipeline's operators. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("flink-rnn-dead-letters",
            new AvroTypeInfo<>(DeadLetter.class));

    private DeadLetters() {
    }

    /** A dead letter for a decoded observation; its Avro binary encoding is kept as the payload. */
    public static DeadLetter of(DeadLetterReason reason, String message, Observation record, long nowMillis) {
        return DeadLetter.newBuilder().setReason(reason).setMessage(message)
                .setKey(record == null ? null : record.getKey())
                .setPayload(record == null ? null : ByteBuffer.wrap(encode(record)))
                .setTime(java.time.Instant.ofEpochMilli(nowMillis)).build();
    }

    static byte[] encode(Observation record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<>(Observation.class).write(record, enc);
            enc.flush();
            return bytes.toByteArray();
        } catch (IOException | RuntimeException e) {
            // A record too broken to encode (a null field) still gets its dead letter, without payload.
            return new byte[0];
        }
    }
}
