package io.flinkrnn.deploy.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shaded job jar is what `flink run` needs: our classes and connectors in, Flink's runtime out. */
class JobJarIT {
    @Test
    void manifestNamesTheJobAndFlinkCoreIsNotInside() throws Exception {
        Path jar;
        try (Stream<Path> s = Files.list(Paths.get("target"))) {
            jar = s.filter(p -> p.getFileName().toString().matches("flink-rnn-deploy-.*-job\\.jar")).findFirst()
                    .orElseThrow();
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals(FlinkRnnJob.class.getName(), j.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(j.getEntry("io/flinkrnn/deploy/job/FlinkRnnJob.class"));
            assertNotNull(j.getEntry("io/flinkrnn/kernels/cpu/CpuStepBackend.class"));
            assertNotNull(j.getEntry("org/apache/flink/connector/kafka/sink/KafkaSink.class"));
            assertNotNull(j.getEntry("org/apache/kafka/clients/producer/KafkaProducer.class"));
            assertNotNull(j.getEntry("org/apache/avro/Schema.class"));
            assertNull(j.getEntry("org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class"));
            assertNull(j.getEntry("org/apache/flink/runtime/jobgraph/JobGraph.class"));
            assertNull(j.getEntry("org/apache/flink/api/common/functions/MapFunction.class"));
            assertNull(j.getEntry("kafka/server/KafkaRaftServer.class"), "the demo broker stays out");
            assertNotNull(j.getEntry("io/flinkrnn/operators/kafka/registry/SchemaRegistryClient.class"));
            assertNull(j.getEntry("io/flinkrnn/testkit/LoopbackSchemaRegistry.class"), "the test registry stays out");
            assertNull(j.getEntry("org/apache/logging/log4j/core/Logger.class"), "logging is the cluster's");
        }
    }
}
