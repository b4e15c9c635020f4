package io.flinkrnn.operators.kafka;

import io.flinkrnn.schemas.Observation;
import io.flinkrnn.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The exactly-once ITs' data: key {@code sensor-k}, two values per step, one step a second from t = 1,000 s. */
final class SensorSeries {
    static final long T0 = 1_000_000L;

    private SensorSeries() {
    }

    static long time(int step) {
        return T0 + step * 1000L;
    }

    static Observation obs(int k, int step) {
        List<Float> v = List.of((float) Math.sin(step * 0.2 + k), (float) Math.cos(step * 0.05 * (k % 7 + 1)));
        return Observation.newBuilder().setKey("sensor-" + k).setEventTime(Instant.ofEpochMilli(time(step)))
                .setValues(v).build();
    }

    /** Steps [from, to) of keys [0, keys), keys interleaved, Kafka key = series key. */
    static void produce(EmbeddedKafka kafka, String topic, int keys, int from, int to) throws Exception {
        AvroCodec<Observation> codec = new AvroCodec<>(Observation.class);
        List<byte[][]> kv = new ArrayList<>();
        for (int s = from; s < to; s++) {
            for (int k = 0; k < keys; k++) {
                kv.add(new byte[][] {("sensor-" + k).getBytes(StandardCharsets.UTF_8), codec.encode(obs(k, s))});
            }
        }
        kafka.produce(topic, kv);
    }
}
