package io.flinkrnn.cli.kafka;

import io.flinkrnn.operators.kafka.AvroCodec;
import io.flinkrnn.operators.update.ModelUpdateLoader;
import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.schemas.ModelUpdate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes {@link ModelUpdate} records to a job's control topic, and waits until the broker has them. */
public final class ModelUpdatePublisher {
    /** The largest artifact sent inline: Kafka's default record limit is 1 MB. */
    public static final int MAX_INLINE_BYTES = 900 * 1024;

    private ModelUpdatePublisher() {
    }

    /**
     * An update for {@code artifact}'s bytes; {@code uri} null sends the artifact inline, else only where it lies
     * (every TaskManager must be able to read it).
     */
    public static ModelUpdate update(byte[] artifact, String modelId, long version, Instant effectiveFrom, String uri,
            ModelStatePolicy state) {
        return ModelUpdate.newBuilder().setModelId(modelId).setVersion(version).setSha256(ModelUpdateLoader.sha256(artifact))
                .setArtifact(uri == null ? ByteBuffer.wrap(artifact) : null).setUri(uri).setEffectiveFrom(effectiveFrom)
                .setState(state).setPublishedAt(Instant.now()).build();
    }

    /** Sends {@code u} (keyed by model id) and returns its offset once the broker acknowledged it. */
    public static long publish(String bootstrap, String topic, ModelUpdate u) throws Exception {
        return publish(bootstrap, new Properties(), topic, u);
    }

    /** As above, the producer opened with the cluster's own client properties ({@code security.protocol}, ...). */
    public static long publish(String bootstrap, Properties client, String topic, ModelUpdate u) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(bootstrap, client)) {
            return p.send(new ProducerRecord<>(topic, u.getModelId().getBytes(StandardCharsets.UTF_8),
                    new AvroCodec<>(ModelUpdate.class).encode(u))).get(60, TimeUnit.SECONDS).offset();
        }
    }
}
