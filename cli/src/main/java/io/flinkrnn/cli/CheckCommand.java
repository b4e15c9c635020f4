package io.flinkrnn.cli;

import io.flinkrnn.cli.cluster.ClusterCheck;
import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.kernels.model.RnnModel;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code flink-rnn check model|topics|produce|verify|lag|soak-sample|soak-report}: the steps of the cluster checks in
 * deploy/local-cluster. {@code verify} prints {@code lost=N duplicated=N mismatched=N} as its last line and
 * exits 1 unless all are 0.
 */
final class CheckCommand {
    static final List<String> OPTIONS = List.of("bootstrap", "out", "model", "keys", "rows", "from", "to", "rate",
            "partitions", "timeout", "rest", "group", "run", "interval-ms", "taskmanagers", "per-key", "switched", "format", "topic", "topics");
    private static final String USAGE = String.join("\n",
            "usage: flink-rnn check model --out M.avro [--per-key true]   a fixed LSTM (input 1, hidden 32, 6 steps);",
            "           --per-key true: with train's per-key rules (scaling, relative to the last value, the guard)",
            "       flink-rnn check topics --bootstrap B [--partitions 4] [--topics a,b,...]",
            "       flink-rnn check produce --bootstrap B --keys K --rows N [--from R --to R] [--rate 2000]",
            "           [--format avro|json] [--topic observations]   json: readings {sensor, value, event_time}",
            "       flink-rnn check verify --bootstrap B --model M.avro --keys K --rows N [--timeout 180]",
            "           [--switched true]   the job ran with intervals and scoring off, then restarted with both on",
            "           [--format avro|sql-json] [--topic forecasts]   sql-json: RNN_FORECAST's rows in JSON",
            "       flink-rnn check lag --bootstrap B [--group flink-rnn]       records not yet checkpointed",
            "       flink-rnn check soak-sample --bootstrap B --rest URL --run DIR [--interval-ms 2000]",
            "       flink-rnn check soak-report --run DIR     the soak: line and DIR/soak-report.html");

    private CheckCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        CliOptions o = CliOptions.parse("check " + args[0], Arrays.copyOfRange(args, 1, args.length), OPTIONS);
        switch (args[0]) {
            case "model": {
                // Horizon 6: the surprise test's window (5 steps) is in the state the checks compare after failover.
                RnnModel random = RandomInit.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 32, 1, 6, 42);
                RnnModel m = RnnModel.builder().cell(CellType.LSTM).inputSize(1).hiddenSize(32).outputSize(6)
                        .addLayer(random.layer(0).weightIhCopy(), random.layer(0).weightHhCopy(),
                                random.layer(0).biasIhCopy(), random.layer(0).biasHhCopy())
                        .head(random.headWeightCopy(), random.headBiasCopy())
                        .normalization(new Normalization(new float[] {50f}, new float[] {10f},
                                new float[] {50f, 50f, 50f, 50f, 50f, 50f},
                                new float[] {10f, 10f, 10f, 10f, 10f, 10f})).build();
                Path dest = Paths.get(need(o, "out"));
                ForecastModel.Builder b = ForecastModel.builder(m).features(List.of("value"))
                        .targets(List.of("value"));
                if (o.bool("per-key", false)) {
                    b.rules(ForecastRules.defaults(6));
                }
                try (OutputStream os = Files.newOutputStream(dest)) {
                    ModelArtifacts.write(b.build(), Map.of("source.format", "flink-rnn check (random init, seed 42)"),
                            os);
                }
                out.println("check: model " + m.describe() + " -> " + dest);
                return 0;
            }
            case "topics":
                List<String> topics = List.of(o.string("topics", "observations,forecasts,dead-letters").split(","));
                ClusterCheck.createTopics(need(o, "bootstrap"), o.integer("partitions", 4, 1), topics);
                out.println("check: topics " + String.join(", ", topics) + " ready");
                return 0;
            case "produce": {
                int rows = o.integer("rows", 0, 1);
                DemoSeries s = ClusterCheck.series(o.integer("keys", 0, 1), rows);
                ClusterCheck.produce(need(o, "bootstrap"), o.string("topic", "observations"), s,
                        o.integer("from", 0, 0), o.integer("to", rows, 1), o.decimal("rate", 2000, 1),
                        o.choice("format", "avro", "avro", "json").equals("json"), out);
                return 0;
            }
            case "verify": {
                ModelArtifacts.Loaded m;
                try (InputStream in = Files.newInputStream(Paths.get(need(o, "model")))) {
                    m = ModelArtifacts.read(in, need(o, "model"));
                }
                int rows = o.integer("rows", 0, 1);
                ClusterCheck.Verdict v = ClusterCheck.verify(need(o, "bootstrap"), o.string("topic", "forecasts"), m,
                        ClusterCheck.series(o.integer("keys", 0, 1), rows), rows,
                        Duration.ofSeconds(o.integer("timeout", 180, 1)), Duration.ofSeconds(5),
                        o.bool("switched", false), o.choice("format", "avro", "avro", "sql-json").equals("sql-json"),
                        out);
                out.printf("check: %d observations, %d forecasts read%n", v.expected(), v.received());
                out.println(v.line());
                return v.ok() ? 0 : 1;
            }
            case "lag":
                out.println("lag=" + io.flinkrnn.cli.kafka.ConsumerLag.of(need(o, "bootstrap"),
                        o.string("group", "flink-rnn"), "observations"));
                return 0;
            case "soak-sample": {
                Path run = Paths.get(need(o, "run"));
                io.flinkrnn.cli.cluster.SoakSampler.run(need(o, "bootstrap"), need(o, "rest"),
                        o.string("group", "flink-rnn"), "observations", run, run.resolve("soak.csv"), run.resolve("soak.stop"),
                        Duration.ofMillis(o.integer("interval-ms", 2000, 100)), o.integer("taskmanagers", 2, 1));
                return 0;
            }
            case "soak-report": {
                Path run = Paths.get(need(o, "run"));
                io.flinkrnn.cli.cluster.SoakReport r = io.flinkrnn.cli.cluster.SoakReport.read(run.resolve("soak.csv"),
                        run.resolve("kill.txt"), run.resolve("checkpoints.json"));
                r.writeHtml(run.resolve("soak-report.html"));
                out.println(r.line());
                return 0;
            }
            default:
                throw new UsageException("check: unknown step '" + args[0] + "'\n" + USAGE);
        }
    }

    private static String need(CliOptions o, String name) {
        String v = o.string(name, null);
        if (v == null) {
            throw new UsageException("check: --" + name + " is required");
        }
        return v;
    }
}
