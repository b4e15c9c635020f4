package io.flinkrnn.operators.kafka.registry;

import java.io.IOException;

/**
 * The schema registry's framing of a Kafka value: a zero byte, the writer schema's id as four big-endian
 * bytes, then the Avro binary body written with that schema. Every Confluent-compatible serializer writes
 * it, in any language, so it is the contract between flink-rnn and the producers and consumers around it.
 */
public final class WireFormat {
    /** The first byte of every framed value; anything else is not a registry record. */
    public static final byte MAGIC = 0;
    /** Magic byte and schema id: where the Avro body starts. */
    public static final int HEADER_BYTES = 5;

    private WireFormat() {
    }

    /** The schema id of a framed value; an IOException when {@code value} is not framed. */
    public static int schemaId(byte[] value) throws IOException {
        if (value.length < HEADER_BYTES) {
            throw new IOException("a registry record starts with 5 header bytes, got " + value.length + " bytes");
        }
        if (value[0] != MAGIC) {
            throw new IOException(String.format("not a registry record: first byte 0x%02x, expected 0x00",
                    value[0] & 0xff));
        }
        return (value[1] & 0xff) << 24 | (value[2] & 0xff) << 16 | (value[3] & 0xff) << 8 | value[4] & 0xff;
    }

    /** The 5-byte header for schema {@code id}. */
    public static byte[] header(int id) {
        return new byte[] {MAGIC, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }
}
