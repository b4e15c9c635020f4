package io.flinkrnn.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An {@link EmbeddedKafka} broker and a {@link LoopbackSchemaRegistry} in one process, for scripts that drive
 * the job with clients written elsewhere (deploy/interop/registry-interop.sh): {@code LocalStack DIR
 * TOPIC[:PARTITIONS]...} creates the topics, writes {@code DIR/stack.env} ({@code BOOTSTRAP=...},
 * {@code REGISTRY=...}) once both answer, and runs until it is stopped (SIGTERM/SIGINT), then removes the
 * broker's files.
 */
public final class LocalStack {
    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LocalStack DIR [TOPIC[:PARTITIONS]]...");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
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
        for (int i = 1; i < args.length; i++) {
            String[] t = args[i].split(":");
            kafka.createTopic(t[0], t.length > 1 ? Integer.parseInt(t[1]) : 1);
        }
        Path env = dir.resolve("stack.env");
        Path tmp = dir.resolve("stack.env.tmp");
        Files.writeString(tmp, "BOOTSTRAP=" + kafka.bootstrapServers() + "\nREGISTRY=" + registry.url() + "\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, env, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("local stack: kafka " + kafka.bootstrapServers() + ", schema registry " + registry.url());
        stopped.await();
    }
}
