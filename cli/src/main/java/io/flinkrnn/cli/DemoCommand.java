package io.flinkrnn.cli;

import io.flinkrnn.cli.console.ProgressBar;
import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.cli.data.MachineGenerator;
import io.flinkrnn.cli.data.MachineSeries;
import io.flinkrnn.cli.data.SeriesGenerator;
import io.flinkrnn.cli.demo.DemoReport;
import io.flinkrnn.cli.demo.DemoRun;
import io.flinkrnn.cli.demo.DemoSwap;
import io.flinkrnn.cli.demo.DemoTraining;
import io.flinkrnn.cli.demo.ForecastTracker;
import io.flinkrnn.cli.demo.MachineTracker;
import io.flinkrnn.cli.demo.SeriesFiles;
import io.flinkrnn.cli.options.Backend;
import io.flinkrnn.cli.options.Choices;
import io.flinkrnn.cli.options.DataColumns;
import io.flinkrnn.cli.options.Durations;
import io.flinkrnn.cli.options.Numbers;
import io.flinkrnn.models.csv.CsvReader;
import io.flinkrnn.models.evaluate.LinearBaseline;
import io.flinkrnn.models.train.TrainingData;
import io.flinkrnn.models.train.TrainingDefaults;
import io.flinkrnn.models.train.TrainingReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-rnn demo}: the whole product on one machine in one command. Starts an embedded KRaft Kafka and
 * a local Flink with its web UI, trains a small model on the first part of the data (unless {@code --model}),
 * streams the data into Kafka at a steady rate through the real job, scores the forecasts as they arrive,
 * prints live progress and a summary, and writes {@code demo-report.html}. Ctrl-C stops and cleans up.
 */
@Command(name = "demo", sortOptions = false,
        description = {"Kafka + Flink + a trained model on one machine: live forecasts, summary, HTML report",
            "Without --data, the built-in generator makes the series (--keys, --rows, --seed) and a machine with"
                + " several sensors and a fault, which a multi-target model scores in a second job. Rows go out by"
                + " position in each key's series (row 0 of every key, then row 1, ...), so every key streams from"
                + " the start. Ctrl-C stops and cleans up."})
final class DemoCommand extends CliCommand {
    private static final int STEPS = DemoTraining.STEPS;

    /** {@code --data} (without it, the built-in generator), its key and time columns and its delimiter. */
    @Mixin
    DataColumns data;

    @Option(names = "--value-column", paramLabel = "C",
            description = "the column to forecast (default: 'value', else the last column)")
    String valueColumn;

    @Option(names = "--keys", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "generator: keys, besides the machine " + MachineGenerator.NAME
                    + " (several sensors, one model, its own job) (default: ${DEFAULT-VALUE})")
    int keys = 8;

    @Option(names = "--rows", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "generator: hourly rows per key, at least 50 (default: ${DEFAULT-VALUE})")
    int rows = 1500;

    @Option(names = "--seed", paramLabel = "N", converter = Numbers.AtLeastZero.class,
            description = "generator: its random seed (default: ${DEFAULT-VALUE})")
    int seed = 7;

    @Option(names = "--model", paramLabel = "MODEL.avro",
            description = "use this model (1 input, 1 target) for the keys (default: train one first); the"
                    + " generator's machine always gets its own, trained on the spot")
    Path model;

    @Option(names = "--epochs", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "training epochs for that model; it stops after "
                    + TrainingDefaults.PATIENCE + " without a better validation (default: ${DEFAULT-VALUE})")
    int epochs = TrainingDefaults.EPOCHS;

    @Option(names = "--rate", paramLabel = "N", converter = Numbers.AtLeastOneDecimal.class,
            description = "observations per second into Kafka (default: ${DEFAULT-VALUE})")
    double rate = 500;

    @Option(names = "--events", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "per key: stop each key after its first N rows (default: all its rows)")
    Integer events;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.class,
            description = "stop producing after this long, e.g. 90 (seconds), 90s or 2min (default: ${DEFAULT-VALUE})")
    Duration duration = Duration.ofSeconds(90);

    @Option(names = "--swap-after", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "train a second model too, and publish it as version 2 through the job's control topic"
                    + " after N events: every key switches at its first row after that")
    Integer swapAfter;

    @Option(names = "--parallelism", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "the job's parallelism (default: ${DEFAULT-VALUE})")
    int parallelism = 2;

    @Mixin
    Backend backend;

    @Option(names = "--web-port", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "Flink's web UI, or the next free port (default: ${DEFAULT-VALUE})")
    int webPort = 8081;

    @Option(names = "--report", paramLabel = "FILE", description = "the HTML report (default: ${DEFAULT-VALUE})")
    Path report = Paths.get("demo-report.html");

    @Override
    public Integer call() throws Exception {
        PrintStream out = out();
        long t0 = System.nanoTime();
        DemoSeries series;
        MachineSeries machine = null;
        Path dataPath = data.dataIfGiven();
        if (dataPath != null) {
            SeriesFiles.Loaded l;
            try {
                l = SeriesFiles.read(dataPath, valueColumn, data.keyColumn, data.timeColumn, data.delimiter);
            } catch (IllegalArgumentException | CsvReader.BadCsv e) {
                throw usage(e.getMessage());
            }
            series = l.series();
            out.printf(Locale.ROOT, "demo: %s: %d keys, %d rows of '%s'%s%n", series.source, series.keys.size(),
                    series.events(), series.valueName, l.skippedRows() > 0 ? " (" + l.skippedRows()
                    + " bad rows skipped)" : "");
        } else {
            series = SeriesGenerator.generate(keys, atLeast("--rows", rows, 50), seed);
            machine = MachineGenerator.generate(rows, seed);
            out.println("demo: " + series.source + ", and the machine " + machine.name + " ("
                    + String.join(", ", machine.sensors) + ") with a " + machine.faultDescription);
        }
        long perKey = events != null ? events : Long.MAX_VALUE;
        double seconds = atLeast("--duration", duration.toMillis() / 1000.0, 1);
        long swapAfter = this.swapAfter != null ? this.swapAfter : Long.MAX_VALUE;
        String backend = Choices.spell(this.backend.kind);

        try (DemoRun run = DemoRun.startKafka(parallelism * 2, webPort)) {
            Thread hook = new Thread(() -> {
                out.println();
                out.println("demo: interrupted, stopping Flink and Kafka and removing " + run.dir());
                run.close();
            }, "flink-rnn-demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("demo: Kafka (KRaft, in this JVM) at " + run.bootstrapServers());
            Path artifact;
            Map<String, String> trainInfo = new LinkedHashMap<>();
            if (model != null) {
                artifact = model;
            } else {
                artifact = run.dir().resolve("demo-model.avro");
                TrainingData data = DemoTraining.keys(series);
                TrainingReport tr = TrainedModels.train(data, DemoTraining.config(epochs, data, 1), "demo: "
                        + series.source, artifact, out);
                out.printf(Locale.ROOT, "demo: trained an LSTM on the first %d%% of each key in %.1f s:"
                        + " validation MSE %.4f (last value %.4f, linear %.4f), normalised scale%n",
                        DemoTraining.TRAIN_PERCENT, tr.trainSeconds, tr.validation.model.mse,
                        tr.validation.lastValue.mse, tr.validation.linear.mse);
                trainInfo.put("training", String.format(Locale.ROOT, "LSTM hidden %d, horizon %d, window %d, %d"
                        + " epochs (chose %d), %.1f s; validation MSE %.4f vs last value %.4f", DemoTraining.HIDDEN,
                        STEPS, DemoTraining.WINDOW, epochs, tr.bestEpoch, tr.trainSeconds, tr.validation.model.mse,
                        tr.validation.lastValue.mse));
            }
            Path second = null;
            if (swapAfter != Long.MAX_VALUE) {
                second = run.dir().resolve("demo-model-v2.avro");
                TrainingData data = DemoTraining.keys(series);
                TrainingReport tr = TrainedModels.train(data, DemoTraining.config(epochs, data, 2),
                        "demo: version 2 of " + series.source, second, out);
                out.printf(Locale.ROOT, "demo: trained version 2 (another seed) in %.1f s: validation MSE %.4f;"
                        + " it goes to the job after %d events%n", tr.trainSeconds, tr.validation.model.mse, swapAfter);
            }
            DemoMachine.Trained machineModel = machine == null ? null
                    : DemoMachine.train(machine, epochs, run.dir(), out);
            if (machineModel != null) {
                trainInfo.put("training " + machine.name, machineModel.description());
            }
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("job.name", "flink-rnn demo");
            settings.put("model.uri", artifact.toAbsolutePath().toString());
            settings.put("kafka.bootstrap-servers", run.bootstrapServers());
            settings.put("kafka.group-id", "flink-rnn-demo");
            settings.put("checkpoint.interval", "2s");
            settings.put("delivery.transaction-timeout", "5min");
            settings.put("batch.max-latency", "20ms");
            settings.put("backend.kind", backend);
            settings.put("order.time-going-back", "reject");
            settings.put("model.id", DemoSwap.MODEL_ID);
            settings.put("model.version", "1");
            if (second != null) {
                settings.put("topics.model-updates", DemoRun.MODEL_UPDATES);
            }
            ForecastTracker tracker = new ForecastTracker(series, "1", linearBaselines(series));
            MachineTracker machineTracker = machine == null ? null : new MachineTracker(machine);
            run.startConsumer(tracker, machineTracker);
            run.startFlink(parallelism + (machine == null ? 0 : DemoMachine.PARALLELISM));
            run.startJob(settings, parallelism);
            if (machine != null) {
                run.startJob(DemoMachine.settings(settings, machineModel.artifact()), DemoMachine.PARALLELISM);
            }
            out.println("demo: Flink " + (machine == null ? "job" : "jobs (the keys', the machine's)")
                    + " running; web UI at " + run.webUrl());
            Stream stream = new Stream(run, tracker, machineTracker, out, series.keys.size(), second == null ? null
                    : new DemoSwap(run.bootstrapServers(), second, swapAfter, out));
            long sent = stream.run(series, machine, rate, perKey, seconds);
            long elapsed = System.nanoTime() - t0;

            Map<String, String> config = new LinkedHashMap<>(settings);
            config.remove("kafka.bootstrap-servers");
            config.put("data", series.source);
            config.put("rate", rate + " events/s");
            config.put("parallelism", Integer.toString(parallelism));
            config.putAll(trainInfo);
            if (stream.swap != null) {
                String swap = stream.swap.summary(tracker, series);
                out.println("demo: " + swap);
                config.put("model update", swap);
            }
            int far = Math.max(2, tracker.farStep());
            List<String> header = List.of("key", "events", "forecasts", "MAE 1 step", "last value", "linear", "gain",
                    "MAE " + far + " steps", "last value", "linear", "gain");
            List<List<String>> rows = summary(series, tracker, stream.sentPerKey);
            if (stream.swap != null) {
                header = new ArrayList<>(header);
                header.add("v2 from row");
                for (int k = 0; k < rows.size(); k++) {
                    int r = tracker.firstRowOf("2", k);
                    rows.get(k).add(r < 0 ? "-" : Integer.toString(r));
                }
            }
            printTable(out, header, rows);
            long lost = sent - tracker.total() + tracker.duplicates() + tracker.unknown() - run.deadLetters();
            String verdict = String.format(Locale.ROOT, "events=%d forecasts=%d dead_letters=%d duplicates=%d"
                    + " missing=%d anomalies_flagged=%d elapsed=%s", sent, tracker.total(), run.deadLetters(),
                    tracker.duplicates(), Math.max(0, lost), tracker.flagged(), ProgressBar.duration(elapsed));
            ForecastTracker.Detection d = tracker.detection();
            String detection = d.events() > 0 ? String.format(Locale.ROOT, "detection: %d of %d injected anomaly"
                    + " events flagged within %d steps of their start (%.0f%%), %.2f false flags per 1,000 normal"
                    + " points (%d of %d)", d.caught(), d.events(), ForecastTracker.CATCH_WITHIN, 100 * d.caughtShare(),
                    d.falsePerThousand(), d.falseFlags(), d.normalRows())
                    : String.format(Locale.ROOT, "detection: %d points flagged of %d (%.2f per 1,000)", d.falseFlags(),
                    d.normalRows(), d.falsePerThousand());
            out.println("demo: " + detection);
            config.put("detection", detection);
            if (machineTracker != null) {
                String m = String.format(Locale.ROOT, "machine %s: events=%d forecasts=%d dead_letters=%d",
                        machine.name, run.machineSent(), machineTracker.total(), run.machineDeadLetters());
                String v = machineTracker.verdict().describe();
                out.println("demo: " + m);
                out.println("demo: detection " + v);
                config.put("machine", m + "; " + machine.faultDescription);
                config.put("detection " + machine.name, v);
            }
            DemoReport.write(report, series, tracker, machineTracker, config, header, rows, verdict);
            out.println("demo: " + verdict);
            out.println("demo: report written to " + report.toAbsolutePath());
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return 0;
    }

    /** The streaming phase: producer on this thread, progress lines, then waiting for the last forecasts. */
    private static final class Stream {
        private final DemoRun run;
        private final ForecastTracker tracker;
        private final MachineTracker machine;
        private final ProgressBar bar;
        private final long start = System.nanoTime();

        final DemoSwap swap;

        Stream(DemoRun run, ForecastTracker tracker, MachineTracker machine, PrintStream out, int keys,
                DemoSwap swap) {
            this.swap = swap;
            this.machine = machine;
            this.sentPerKey = new long[keys];
            this.run = run;
            this.tracker = tracker;
            this.bar = new ProgressBar(out, System.console() != null && out == System.out, 2_000_000_000L);
        }

        final long[] sentPerKey;

        long run(DemoSeries series, MachineSeries machineSeries, double rate, long perKey, double seconds) {
            long total = 0;
            for (DemoSeries.Key k : series.keys) {
                total += Math.min(perKey, k.rows());
            }
            long all = total;
            long deadline = start + (long) (seconds * 1e9);
            long sent = run.produce(series, machineSeries, rate, perKey, deadline, () -> false, n -> show(n, all),
                    sentPerKey, swap == null ? Long.MAX_VALUE : swap.after(), latest -> {
                        bar.finish();
                        swap.publish(latest);
                    });
            // exactly-once output appears at checkpoints (every 2 s): wait for the rest
            long waitUntil = System.nanoTime() + 60_000_000_000L;
            while ((tracker.total() + run.deadLetters() < sent || machine != null && machine.total()
                    + run.machineDeadLetters() < run.machineSent()) && System.nanoTime() < waitUntil) {
                show(sent, total);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            show(sent, total);
            bar.finish();
            return sent;
        }

        private void show(long sent, long total) {
            long elapsed = System.nanoTime() - start;
            double[] mae = tracker.runningMae();
            long done = tracker.total() + run.deadLetters();
            bar.show("stream", done, total, String.format(Locale.ROOT, "sent %d (%.0f/s) forecasts %d lag %d dead %d"
                    + " | MAE forecast %.3f last-value %.3f | anomalies %d%s%s", sent,
                    (sent + run.machineSent()) / (elapsed / 1e9), // the rate is of every observation, the machine's too
                    tracker.total(), Math.max(0, sent - done), run.deadLetters(), mae[0], mae[1], tracker.flagged(),
                    machine == null ? "" : " | " + machine.progress(),
                    swap == null ? "" : " | " + swap.progress(tracker)), elapsed);
        }
    }

    private static List<List<String>> summary(DemoSeries series, ForecastTracker tracker, long[] sentPerKey) {
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < series.keys.size(); k++) {
            ForecastTracker.KeyStats s = tracker.stats(k);
            rows.add(new ArrayList<>(List.of(s.key(), Long.toString(sentPerKey[k]), Integer.toString(s.forecasts()),
                    fmt(s.modelMae()), fmt(s.lastValueMae()), fmt(s.linearMae()), gain(s.modelMae(), s.lastValueMae()),
                    fmt(s.farModelMae()), fmt(s.farLastValueMae()), fmt(s.farLinearMae()),
                    gain(s.farModelMae(), s.farLastValueMae()))));
        }
        return rows;
    }

    /** How much smaller the forecast's error is than the last value's. */
    private static String gain(double model, double lastValue) {
        return lastValue > 0 && Double.isFinite(model) ? String.format(Locale.ROOT, "%+.0f%%",
                100 * (1 - model / lastValue)) : "-";
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "-";
    }

    private static void printTable(PrintStream out, List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            line.append(String.format("%-" + w[i] + "s  ", header.get(i)));
        }
        out.println(line.toString().stripTrailing());
        for (List<String> r : rows) {
            line.setLength(0);
            for (int i = 0; i < w.length; i++) {
                line.append(String.format(i == 0 ? "%-" + w[i] + "s  " : "%" + w[i] + "s  ", r.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** Each key's linear baseline on the demo's split, as {@code train} reports it. */
    private static LinearBaseline[] linearBaselines(DemoSeries series) {
        LinearBaseline[] out = new LinearBaseline[series.keys.size()];
        for (int k = 0; k < out.length; k++) {
            double[] v = ForecastTracker.values(series.keys.get(k));
            int[] b = DemoTraining.SPLIT.bounds(v.length);
            out[k] = LinearBaseline.forSplit(v, STEPS, b[0], b[1]);
        }
        return out;
    }
}
