package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flinkrnn.schemas.Forecast;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The hand-written Forecast coder writes Avro's own bytes: for every combination of the optional fields set and unset,
 * with empty and long arrays, non-ASCII keys, times before 1970 and non-finite values; and it covers every field of the
 * schema, so a field added to Forecast.avsc fails here until the coder writes it.
 */
class ForecastEncoderTest {
    static byte[] avro(Forecast f) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(Forecast.class).write(f, out);
        out.flush();
        return bytes.toByteArray();
    }

    static List<Float> floats(SplittableRandom rnd, int n) {
        List<Float> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(20);
            out.add(kind == 0 ? Float.NaN : kind == 1 ? Float.NEGATIVE_INFINITY : (float) rnd.nextGaussian() * 1e3f);
        }
        return out;
    }

    static Forecast forecast(SplittableRandom rnd, int optional) {
        int n = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(70);
        return Forecast.newBuilder().setKey(rnd.nextBoolean() ? "sensor-" + rnd.nextInt(1000) : "Zürich-北京-" + n)
                .setEventTime(Instant.ofEpochMilli(rnd.nextLong(-4_000_000_000_000L, 4_000_000_000_000L)))
                .setModelId("load").setModelVersion(Integer.toHexString(rnd.nextInt())).setHorizon(n)
                .setValues(floats(rnd, n)).setBackend("java:java-vector512 x1 threads")
                .setAnomalyScore((optional & 1) == 0 ? null : rnd.nextFloat())
                .setLower((optional & 2) == 0 ? null : floats(rnd, n))
                .setUpper((optional & 4) == 0 ? null : floats(rnd, n))
                .setRawScore((optional & 8) == 0 ? null : (float) rnd.nextGaussian())
                .setFlagged((optional & 16) == 0 ? null : rnd.nextBoolean())
                .setAnomalous((optional & 32) == 0 ? null : rnd.nextBoolean())
                .setAnomalyCause((optional & 64) == 0 ? null : "vibration")
                .setSignalScores((optional & 128) == 0 ? null : floats(rnd, rnd.nextInt(5))).build();
    }

    @Test
    void itWritesAvrosOwnBytesForEveryOptionalFieldSetAndUnset() throws IOException {
        SplittableRandom rnd = new SplittableRandom(33);
        AvroCodec<Forecast> codec = new AvroCodec<>(Forecast.class);
        for (int optional = 0; optional < 256; optional++) {
            for (int rep = 0; rep < 4; rep++) {
                Forecast f = forecast(rnd, optional);
                byte[] want = avro(f);
                assertArrayEquals(want, codec.encode(f), "fields set " + Integer.toBinaryString(optional));
                assertEquals(f, codec.decode(codec.encode(f)));
            }
        }
    }

    @Test
    void aForecastMissingARequiredFieldFailsNamingItAndTheNextIsWrittenWhole() throws IOException {
        SplittableRandom rnd = new SplittableRandom(5);
        AvroCodec<Forecast> codec = new AvroCodec<>(Forecast.class);
        Forecast bad = forecast(rnd, 255);
        bad.setBackend(null);
        NullPointerException e = assertThrows(NullPointerException.class, () -> codec.encode(bad));
        assertEquals("null value for (non-nullable) field Forecast.backend", e.getMessage());
        Forecast good = forecast(rnd, 255);
        assertArrayEquals(avro(good), codec.encode(good));
    }

    @Test
    void itWritesEveryFieldOfTheSchemaInItsOrder() {
        List<String> schema = new ArrayList<>();
        for (Schema.Field field : Forecast.getClassSchema().getFields()) {
            schema.add(field.name());
        }
        assertEquals(schema, ForecastEncoder.FIELDS, "Forecast.avsc changed: write the new fields in ForecastEncoder");
    }
}
