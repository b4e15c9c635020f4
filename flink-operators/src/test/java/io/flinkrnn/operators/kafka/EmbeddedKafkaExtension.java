package io.flinkrnn.operators.kafka;

import io.flinkrnn.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One {@link EmbeddedKafka} broker per test class: {@code @RegisterExtension static EmbeddedKafkaExtension KAFKA}. */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kafka-");
        kafka = EmbeddedKafka.start(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    public EmbeddedKafka get() {
        return kafka;
    }
}
