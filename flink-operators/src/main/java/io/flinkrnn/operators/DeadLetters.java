package io.flinkrnn.operators;

import io.flinkrnn.operators.update.ModelUpdateFeed;
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

    /** The most of a bad record's bytes a dead letter keeps. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** The most characters of a bad record's key, and of a message, a dead letter keeps. */
    static final int MAX_KEY_CHARS = 256;
    static final int MAX_MESSAGE_CHARS = 1024;

    private DeadLetters() {
    }

    /** A dead letter for a decoded observation; its Avro binary encoding is kept as the payload. */
    public static DeadLetter of(DeadLetterReason reason, String message, Observation record, long nowMillis) {
        return bounded(DeadLetter.newBuilder().setReason(reason).setMessage(message)
                .setKey(record == null ? null : record.getKey())
                .setPayload(record == null ? null : ByteBuffer.wrap(encode(record)))
                .setTime(java.time.Instant.ofEpochMilli(nowMillis)).build());
    }

    /** A dead letter for a model update the job refused, with where it was in the feed and its bytes. */
    public static DeadLetter ofControlRecord(DeadLetterReason reason, String message, ModelUpdateFeed.Record r,
            long nowMillis) {
        return bounded(DeadLetter.newBuilder().setReason(reason).setMessage(message).setKey(null)
                .setPayload(r.value == null ? null : ByteBuffer.wrap(r.value)).setTopic(r.source)
                .setPartition(r.partition).setOffset(r.offset).setTime(java.time.Instant.ofEpochMilli(nowMillis))
                .build());
    }

    /**
     * Cuts a dead letter down to a size any Kafka topic takes (a record near the input limit would otherwise
     * make a dead letter over the producer's 1 MB request limit, and the sink would fail the job): the first
     * {@value #MAX_PAYLOAD_BYTES} bytes of the payload, {@value #MAX_KEY_CHARS} characters of the key, {@value
     * #MAX_MESSAGE_CHARS} of the message, each cut one saying so in the message. Changes {@code d}; returns it.
     */
    public static DeadLetter bounded(DeadLetter d) {
        StringBuilder cut = new StringBuilder();
        ByteBuffer payload = d.getPayload();
        if (payload != null && payload.remaining() > MAX_PAYLOAD_BYTES) {
            cut.append(" [payload of ").append(payload.remaining()).append(" bytes cut to ").append(MAX_PAYLOAD_BYTES)
                    .append(']');
            ByteBuffer head = payload.duplicate();
            head.limit(head.position() + MAX_PAYLOAD_BYTES);
            byte[] kept = new byte[MAX_PAYLOAD_BYTES];
            head.get(kept);
            d.setPayload(ByteBuffer.wrap(kept));
        }
        String key = d.getKey();
        if (key != null && key.length() > MAX_KEY_CHARS) {
            cut.append(" [key of ").append(key.length()).append(" characters cut to ").append(MAX_KEY_CHARS)
                    .append(']');
            d.setKey(key.substring(0, MAX_KEY_CHARS));
        }
        String message = d.getMessage() == null ? "" : d.getMessage();
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
        d.setMessage(message + cut);
        return d;
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
