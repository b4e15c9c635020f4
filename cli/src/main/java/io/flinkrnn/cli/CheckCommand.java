package io.flinkrnn.cli;

import io.flinkrnn.cli.cluster.ClusterCheck;
import io.flinkrnn.cli.cluster.SoakSampler;
import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.cli.kafka.ConsumerLag;
import io.flinkrnn.cli.options.Choices;
import io.flinkrnn.cli.options.Durations;
import io.flinkrnn.cli.options.Flag;
import io.flinkrnn.cli.options.Numbers;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;

/**
 * {@code flink-rnn check model|topics|produce|verify|lag|soak-sample|soak-report}: the steps of the cluster checks in
 * deploy/local-cluster. {@code verify} prints {@code lost=N duplicated=N mismatched=N} as its last line and
 * exits 1 unless all are 0.
 */
@Command(name = "check", synopsisSubcommandLabel = "STEP", commandListHeading = "Steps:%n",
        description = "steps of the cluster checks: model, topics, produce, verify (lost/duplicated/mismatched)",
        subcommands = {CheckCommand.Model.class, CheckCommand.Topics.class, CheckCommand.Produce.class,
            CheckCommand.Verify.class, CheckCommand.Lag.class, CheckCommand.SoakSample.class,
            CheckCommand.SoakReport.class})
final class CheckCommand extends CliCommand {
    /** The name of the section that lists every step's synopsis in {@code check --help}. */
    private static final String STEPS = "steps";

    /** No step: the usage, and status 2. */
    @Override
    public Integer call() {
        throw usage("Missing required step: one of " + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * {@code check --help} also shows every step's synopsis, generated from the steps' options (so {@code
     * soak-sample --taskmanagers} is there); called once the command tree is built.
     */
    static void listSteps(CommandLine check) {
        check.getHelpSectionMap().put(STEPS, help -> {
            StringBuilder b = new StringBuilder("Steps and their options:").append(System.lineSeparator());
            for (CommandLine step : check.getSubcommands().values()) {
                b.append(step.getHelp().synopsis(0).stripTrailing().indent(2));
            }
            return b.toString();
        });
        List<String> keys = new ArrayList<>(check.getHelpSectionKeys());
        keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_COMMAND_LIST) + 1, STEPS);
        check.setHelpSectionKeys(keys);
    }

    @Command(name = "model", sortOptions = false,
            description = "a fixed LSTM (input 1, hidden 32, 6 steps) with random weights (seed 42)")
    static final class Model extends CliCommand {
        @Option(names = "--out", required = true, paramLabel = "M.avro", description = "the model artifact")
        Path dest;

        @Option(names = "--per-key", arity = "1", paramLabel = "true|false", converter = Flag.class,
                completionCandidates = Flag.class,
                description = "with train's per-key rules (scaling, relative to the last value, the guard)"
                        + " (default: ${DEFAULT-VALUE})")
        boolean perKey = false;

        @Override
        public Integer call() throws Exception {
            // Horizon 6: the surprise test's window (5 steps) is in the state the checks compare after failover.
            RnnModel random = RandomInit.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 32, 1, 6, 42);
            RnnModel m = RnnModel.builder().cell(CellType.LSTM).inputSize(1).hiddenSize(32).outputSize(6)
                    .addLayer(random.layer(0).weightIhCopy(), random.layer(0).weightHhCopy(),
                            random.layer(0).biasIhCopy(), random.layer(0).biasHhCopy())
                    .head(random.headWeightCopy(), random.headBiasCopy())
                    .normalization(new Normalization(new float[] {50f}, new float[] {10f},
                            new float[] {50f, 50f, 50f, 50f, 50f, 50f},
                            new float[] {10f, 10f, 10f, 10f, 10f, 10f})).build();
            ForecastModel.Builder b = ForecastModel.builder(m).features(List.of("value"))
                    .targets(List.of("value"));
            if (perKey) {
                b.rules(ForecastRules.defaults(6));
            }
            try (OutputStream os = Files.newOutputStream(dest)) {
                ModelArtifacts.write(b.build(), Map.of("source.format", "flink-rnn check (random init, seed 42)"),
                        os);
            }
            out().println("check: model " + m.describe() + " -> " + dest);
            return 0;
        }
    }

    @Command(name = "topics", sortOptions = false, description = "creates the topics")
    static final class Topics extends CliCommand {
        @Mixin
        Bootstrap kafka;

        @Option(names = "--partitions", paramLabel = "N", converter = Numbers.AtLeastOne.class,
                description = "partitions per topic (default: ${DEFAULT-VALUE})")
        int partitions = 4;

        @Option(names = "--topics", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",",
                description = "the topics (default: ${DEFAULT-VALUE})")
        List<String> topics = List.of("observations", "forecasts", "dead-letters");

        @Override
        public Integer call() throws Exception {
            ClusterCheck.createTopics(kafka.servers, partitions, topics);
            out().println("check: topics " + String.join(", ", topics) + " ready");
            return 0;
        }
    }

    /** {@code --bootstrap}: the Kafka every step that talks to it needs. */
    static final class Bootstrap {
        @Option(names = "--bootstrap", required = true, paramLabel = "B", description = "Kafka's bootstrap servers")
        String servers;
    }

    /** {@code --keys} and {@code --rows}: the check's series, which produce writes and verify replays. */
    static final class Series {
        @Option(names = "--keys", required = true, paramLabel = "K", converter = Numbers.AtLeastOne.class,
                description = "keys")
        int keys;

        @Option(names = "--rows", required = true, paramLabel = "N", converter = Numbers.AtLeastOne.class,
                description = "rows per key")
        int rows;

        DemoSeries series() {
            return ClusterCheck.series(keys, rows);
        }
    }

    @Command(name = "produce", sortOptions = false,
            description = "writes the check's series (rows --from to --to of each key) at a steady rate")
    static final class Produce extends CliCommand {
        @Mixin
        Bootstrap kafka;

        @Mixin
        Series series;

        @Option(names = "--from", paramLabel = "R", converter = Numbers.AtLeastZero.class,
                description = "first row (default: ${DEFAULT-VALUE})")
        int from = 0;

        @Option(names = "--to", paramLabel = "R", converter = Numbers.AtLeastOne.class,
                description = "row after the last (default: --rows)")
        Integer to;

        @Option(names = "--rate", paramLabel = "N", converter = Numbers.AtLeastOneDecimal.class,
                description = "records per second (default: ${DEFAULT-VALUE})")
        double rate = 2000;

        @Option(names = "--format", paramLabel = "avro|json", converter = ProduceFormat.Names.class,
                completionCandidates = ProduceFormat.Names.class,
                description = "json: readings {sensor, value, event_time} (default: ${DEFAULT-VALUE})")
        ProduceFormat format = ProduceFormat.AVRO;

        @Option(names = "--topic", paramLabel = "T", description = "(default: ${DEFAULT-VALUE})")
        String topic = "observations";

        @Override
        public Integer call() throws Exception {
            ClusterCheck.produce(kafka.servers, topic, series.series(), from, to != null ? to : series.rows, rate,
                    format == ProduceFormat.JSON, out());
            return 0;
        }
    }

    /** {@code check produce --format}. */
    enum ProduceFormat {
        AVRO, JSON;

        static final class Names extends Choices.Of<ProduceFormat> {
            Names() {
                super(ProduceFormat.class);
            }
        }
    }

    @Command(name = "verify", sortOptions = false,
            description = "reads the forecasts back and judges them against a replay; last line lost=N duplicated=N"
                    + " mismatched=N, exit status 1 unless all are 0")
    static final class Verify extends CliCommand {
        @Mixin
        Bootstrap kafka;

        @Option(names = "--model", required = true, paramLabel = "M.avro", description = "the job's model")
        Path model;

        @Mixin
        Series series;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
                description = "how long to wait for every forecast, e.g. 240 (seconds) or 4min"
                        + " (default: ${DEFAULT-VALUE})")
        Duration timeout = Duration.ofSeconds(180);

        @Option(names = "--switched", arity = "1", paramLabel = "true|false", converter = Flag.class,
                completionCandidates = Flag.class,
                description = "the job ran with intervals and scoring off, then restarted with both on"
                        + " (default: ${DEFAULT-VALUE})")
        boolean switched = false;

        @Option(names = "--format", paramLabel = "avro|sql-json", converter = VerifyFormat.Names.class,
                completionCandidates = VerifyFormat.Names.class,
                description = "sql-json: RNN_FORECAST's rows in JSON (default: ${DEFAULT-VALUE})")
        VerifyFormat format = VerifyFormat.AVRO;

        @Option(names = "--topic", paramLabel = "T", description = "(default: ${DEFAULT-VALUE})")
        String topic = "forecasts";

        @Override
        public Integer call() throws Exception {
            PrintStream out = out();
            ModelArtifacts.Loaded m;
            try (InputStream in = Files.newInputStream(model)) {
                m = ModelArtifacts.read(in, model.toString());
            }
            ClusterCheck.Verdict v = ClusterCheck.verify(kafka.servers, topic, m, series.series(), series.rows,
                    timeout, Duration.ofSeconds(5), switched, format == VerifyFormat.SQL_JSON, out);
            out.printf("check: %d observations, %d forecasts read%n", v.expected(), v.received());
            out.println(v.line());
            return v.ok() ? 0 : 1;
        }
    }

    /** {@code check verify --format}. */
    enum VerifyFormat {
        AVRO, SQL_JSON;

        static final class Names extends Choices.Of<VerifyFormat> {
            Names() {
                super(VerifyFormat.class);
            }
        }
    }

    @Command(name = "lag", sortOptions = false, description = "records of observations not yet checkpointed: lag=N")
    static final class Lag extends CliCommand {
        @Mixin
        Bootstrap kafka;

        @Option(names = "--group", paramLabel = "G", description = "the job's consumer group (default: ${DEFAULT-VALUE})")
        String group = "flink-rnn";

        @Override
        public Integer call() throws Exception {
            out().println("lag=" + ConsumerLag.of(kafka.servers, group, "observations"));
            return 0;
        }
    }

    @Command(name = "soak-sample", sortOptions = false,
            description = "samples lag, checkpoints and TaskManagers into DIR/soak.csv until DIR/soak.stop appears")
    static final class SoakSample extends CliCommand {
        @Mixin
        Bootstrap kafka;

        @Option(names = "--rest", required = true, paramLabel = "URL", description = "Flink's REST address")
        String rest;

        @Option(names = "--run", required = true, paramLabel = "DIR", description = "the soak's folder")
        Path run;

        @Option(names = "--group", paramLabel = "G", description = "the job's consumer group (default: ${DEFAULT-VALUE})")
        String group = "flink-rnn";

        @Option(names = "--interval-ms", paramLabel = "MS", converter = Numbers.AtLeastOne.class,
                description = "between samples, at least 100 (default: ${DEFAULT-VALUE})")
        int intervalMs = 2000;

        @Option(names = "--taskmanagers", paramLabel = "N", converter = Numbers.AtLeastOne.class,
                description = "TaskManagers the cluster should have (default: ${DEFAULT-VALUE})")
        int taskmanagers = 2;

        @Override
        public Integer call() throws Exception {
            SoakSampler.run(kafka.servers, rest, group, "observations", run, run.resolve("soak.csv"),
                    run.resolve("soak.stop"), Duration.ofMillis(atLeast("--interval-ms", intervalMs, 100)),
                    taskmanagers);
            return 0;
        }
    }

    @Command(name = "soak-report", sortOptions = false,
            description = "the soak: line and DIR/soak-report.html from DIR/soak.csv, kill.txt and checkpoints.json")
    static final class SoakReport extends CliCommand {
        @Option(names = "--run", required = true, paramLabel = "DIR", description = "the soak's folder")
        Path run;

        @Override
        public Integer call() throws Exception {
            io.flinkrnn.cli.cluster.SoakReport r = io.flinkrnn.cli.cluster.SoakReport.read(run.resolve("soak.csv"),
                    run.resolve("kill.txt"), run.resolve("checkpoints.json"));
            r.writeHtml(run.resolve("soak-report.html"));
            out().println(r.line());
            return 0;
        }
    }
}
