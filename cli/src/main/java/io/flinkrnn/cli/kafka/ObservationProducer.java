package io.flinkrnn.cli.kafka;

import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.operators.kafka.AvroCodec;
import io.flinkrnn.schemas.Observation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends rows of a {@link DemoSeries} as Avro {@code Observation}s, or as JSON readings of a user's own shape
 * ({@code {"sensor": ..., "value": ..., "event_time": epoch millis}}, what the SQL example reads), keyed by series
 * key, at a steady rate:
 * when ahead of schedule it flushes and sleeps, so the rate holds on average and the broker sees records
 * promptly.
 */
public final class ObservationProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final double rate;
    private final AvroCodec<Observation> codec = new AvroCodec<>(Observation.class);
    private final ObjectMapper json;
    private final long start = System.nanoTime();
    private long sent;

    public ObservationProducer(String bootstrap, String topic, double rate) {
        this(bootstrap, topic, rate, false);
    }

    /** @param json JSON readings instead of Avro observations */
    public ObservationProducer(String bootstrap, String topic, double rate, boolean json) {
        this.producer = KafkaClients.producer(bootstrap);
        this.topic = topic;
        this.rate = rate;
        this.json = json ? new ObjectMapper() : null;
    }

    /** Sends row {@code row} of {@code key} (one value: the series' value). */
    public void send(DemoSeries.Key key, int row) {
        if (json != null) {
            Map<String, Object> reading = new LinkedHashMap<>();
            reading.put("sensor", key.name);
            reading.put("value", key.values[row]);
            reading.put("event_time", key.times[row]);
            try {
                producer.send(new ProducerRecord<>(topic, key.name.getBytes(StandardCharsets.UTF_8),
                        json.writeValueAsBytes(reading)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a reading did not serialise: " + reading, e);
            }
            sent++;
            return;
        }
        send(topic, key.name, key.times[row], List.of(key.values[row]));
    }

    /** Sends one Avro observation of {@code key} with these values to {@code topic} (paced with the rest). */
    public void send(String topic, String key, long eventTime, List<Float> values) {
        Observation o = Observation.newBuilder().setKey(key).setEventTime(Instant.ofEpochMilli(eventTime))
                .setValues(values).setAttributes(Map.of()).build();
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), codec.encode(o)));
        sent++;
    }

    /**
     * Waits until the records sent so far are due at the rate.
     *
     * @return false if the thread was interrupted (the flag stays set)
     */
    public boolean pace() {
        long wait = start + (long) (sent * 1e9 / rate) - System.nanoTime();
        if (wait <= 0) {
            return true;
        }
        producer.flush();
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000_000L));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long sent() {
        return sent;
    }

    /** Flushes what is left, then closes the producer. */
    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
