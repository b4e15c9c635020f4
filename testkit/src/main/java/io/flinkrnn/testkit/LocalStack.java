package io.flinkrnn.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * An {@link EmbeddedKafka} broker and a {@link LoopbackSchemaRegistry} in one process, for scripts that drive
 * the job with clients written elsewhere (deploy/interop/registry-interop.sh): {@code LocalStack DIR
 * TOPIC[:PARTITIONS]...} creates the topics, writes {@code DIR/stack.env} ({@code BOOTSTRAP=...},
 * {@code REGISTRY=...}) once both answer, and runs until it is stopped (SIGTERM/SIGINT), then removes the
 * broker's files.
 */
@Command(name = "LocalStack", mixinStandardHelpOptions = true,
        description = "a Kafka broker and a schema registry in one process, until stopped")
public final class LocalStack implements Callable<Integer> {
    /** A topic to create: {@code NAME} or {@code NAME:PARTITIONS}. */
    record Topic(String name, int partitions) {
        static Topic parse(String spec) {
            int colon = spec.lastIndexOf(':');
            return colon < 0 ? new Topic(spec, 1)
                    : new Topic(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
        }
    }

    @Parameters(index = "0", paramLabel = "DIR", description = "the broker's files and stack.env")
    Path dir;

    @Parameters(index = "1..*", paramLabel = "TOPIC[:PARTITIONS]", converter = TopicConverter.class,
            description = "topics to create (1 partition unless given)")
    List<Topic> topics = new ArrayList<>();

    static final class TopicConverter implements CommandLine.ITypeConverter<Topic> {
        @Override
        public Topic convert(String value) {
            try {
                return Topic.parse(value);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("partitions must be a whole number, got '" + value + "'");
            }
        }
    }

    private LocalStack() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalStack()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        LoopbackSchemaRegistry registry = LoopbackSchemaRegistry.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.close();
            try {
                kafka.close();
            } catch (Exception e) {
                System.err.println("local stack: " + e);
            }
            stopped.countDown();
        }));
        for (Topic t : topics) {
            kafka.createTopic(t.name(), t.partitions());
        }
        Path env = dir.resolve("stack.env");
        Path tmp = dir.resolve("stack.env.tmp");
        Files.writeString(tmp, "BOOTSTRAP=" + kafka.bootstrapServers() + "\nREGISTRY=" + registry.url() + "\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, env, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("local stack: kafka " + kafka.bootstrapServers() + ", schema registry " + registry.url());
        stopped.await();
        return 0;
    }
}
