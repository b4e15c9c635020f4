package io.flinkrnn.cli;

import io.flinkrnn.cli.kafka.ModelUpdatePublisher;
import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.schemas.ModelUpdate;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code flink-rnn publish-model --model M.avro --model-id ID --version N (--effective-from TIME |
 * --effective-in DURATION) [--uri URI] [--state keep|reset] [--bootstrap-servers HOST:PORT] [--topic T]}: puts a
 * new model into a running job through its control topic. The artifact is checked here first, so a broken
 * file is refused before any job sees it.
 */
final class PublishModelCommand {
    static final List<String> OPTIONS = List.of("model", "model-id", "version", "effective-from", "effective-in", "uri",
            "state", "bootstrap-servers", "topic");
    private static final String USAGE = String.join("\n",
            "usage: flink-rnn publish-model --model M.avro --model-id ID --version N [options]",
            "  --effective-from TIME  event time (ISO-8601, e.g. 2026-12-02T10:00:00Z) from which keys switch",
            "  --effective-in DUR     or: this long from now (e.g. 30s; default 10s), for a live stream",
            "                         publish before the stream reaches that time: see docs/MODEL-UPDATES.md",
            "  --uri URI              where every TaskManager reads the artifact (file://, s3://, hdfs://);",
            "                         default: the artifact travels inline (up to 900 KiB)",
            "  --state keep|reset     keep each key's state where the layouts match (default), or reset all",
            "  --bootstrap-servers S  (localhost:9092)   --topic T (model-updates)");

    private PublishModelCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            out.println(USAGE);
            return 0;
        }
        CliOptions o = CliOptions.parse("publish-model", args, OPTIONS);
        String modelFile = o.string("model", null);
        String modelId = o.string("model-id", null);
        if (modelFile == null || modelId == null || !o.has("version")) {
            throw new UsageException("publish-model: --model, --model-id and --version are required\n" + USAGE);
        }
        long version = o.integer("version", 0, 1);
        if (o.has("effective-from") && o.has("effective-in")) {
            throw new UsageException("publish-model: give --effective-from or --effective-in, not both");
        }
        Instant effective = effective(o);
        String state = o.string("state", "keep");
        if (!state.equals("keep") && !state.equals("reset")) {
            throw new UsageException("publish-model: --state must be keep or reset, got '" + state + "'");
        }
        Path file = Paths.get(modelFile);
        if (!Files.isRegularFile(file)) {
            throw new UsageException("publish-model: --model " + file + ": no such file");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            ModelArtifacts.read(new ByteArrayInputStream(bytes), file.toString());
        } catch (IOException | RuntimeException e) {
            throw new UsageException("publish-model: " + e.getMessage(), e);
        }
        String uri = o.string("uri", null);
        if (uri == null && bytes.length > ModelUpdatePublisher.MAX_INLINE_BYTES) {
            throw new UsageException("publish-model: " + file + " is " + bytes.length + " bytes, more than the "
                    + ModelUpdatePublisher.MAX_INLINE_BYTES + " sent inline: put it where the TaskManagers read it"
                    + " and pass --uri");
        }
        ModelUpdate u = ModelUpdatePublisher.update(bytes, modelId, version, effective, uri,
                state.equals("keep") ? ModelStatePolicy.KEEP : ModelStatePolicy.RESET);
        String topic = o.string("topic", "model-updates");
        long offset = ModelUpdatePublisher.publish(o.string("bootstrap-servers", "localhost:9092"), topic, u);
        out.println("publish-model: " + modelId + " version " + version + " (sha256 " + u.getSha256() + ", "
                + (uri == null ? bytes.length + " bytes inline" : uri) + ") effective from " + effective + ", state "
                + state + ": written to " + topic + " at offset " + offset);
        return 0;
    }

    private static Instant effective(CliOptions o) {
        if (o.has("effective-from")) {
            String t = o.string("effective-from", null);
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw new UsageException("publish-model: --effective-from must be an ISO-8601 instant such as"
                        + " 2026-12-02T10:00:00Z, got '" + t + "'");
            }
        }
        String d = o.string("effective-in", "10s");
        try {
            return Instant.now().plus(org.apache.flink.util.TimeUtils.parseDuration(d));
        } catch (RuntimeException e) {
            throw new UsageException("publish-model: --effective-in must be a duration such as 30s or 5min, got '"
                    + d + "'");
        }
    }
}
