package io.flinkrnn.cli;

import io.flinkrnn.cli.options.Choices;
import io.flinkrnn.cli.options.DataColumns;
import io.flinkrnn.cli.options.Numbers;
import io.flinkrnn.cli.options.Threads;
import io.flinkrnn.models.evaluate.Evaluation;
import io.flinkrnn.models.evaluate.EvaluationReport;
import io.flinkrnn.models.evaluate.Replay;
import io.flinkrnn.stepper.Adaptation;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.TimeFeatures;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-rnn evaluate --model M --data FILE [--key-column k] [--time-column t] (--from-row N |
 * --from-fraction X) [--season S] [--out REPORT]}: replays the whole file through the stepper and scores each
 * key's rows from N (or from the fraction X of its rows) against the last value, the seasonal naive forecast,
 * a moving average and the linear baseline ({@link Evaluation}); a table on the terminal, markdown and JSON
 * next to {@code --out}.
 */
@Command(name = "evaluate", sortOptions = false,
        description = {"replays a CSV through a model and scores it per key and step against the baselines",
            "A table on the terminal; markdown and JSON with --out."})
final class EvaluateCommand extends CliCommand {
    @Option(names = "--model", required = true, paramLabel = "MODEL.avro", description = "the model artifact")
    Path modelPath;

    @Mixin
    DataColumns data;

    @Option(names = "--from-row", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "score each key's rows from row N on (or --from-fraction)")
    Integer fromRow;

    @Option(names = "--from-fraction", paramLabel = "X", converter = Numbers.NonNegative.class,
            description = "score each key's rows from this fraction of them on, below 1")
    Double fromFraction;

    @Option(names = "--to-row", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "up to row N (default: the end; a validation range before the test rows)")
    Integer toRow;

    @Option(names = "--to-fraction", paramLabel = "X", converter = Numbers.NonNegative.class,
            description = "up to this fraction of each key's rows (default: the end)")
    Double toFraction;

    @Option(names = "--season", paramLabel = "ROWS", converter = Numbers.AtLeastOne.class,
            description = "period of the seasonal baseline (default: a day of sub-daily rows, a week of daily rows)")
    Integer season;

    @Option(names = "--out", paramLabel = "REPORT", description = "writes REPORT.md and REPORT.json")
    String report;

    @Mixin
    Threads threads;

    @Option(names = "--adaptation", paramLabel = "off|head", converter = Choices.Adaptations.class,
            completionCandidates = Choices.Adaptations.class,
            description = "per-key head correction, as the job's adaptation setting (default: ${DEFAULT-VALUE})")
    Adaptation adaptation = Adaptation.OFF;

    @Override
    public Integer call() throws Exception {
        PrintStream out = out();
        if (!Files.isRegularFile(modelPath)) {
            throw usage("--model " + modelPath + " is not a file");
        }
        Path dataPath = data.data();
        if ((fromRow != null) == (fromFraction != null)) {
            throw usage("give exactly one of --from-row N and --from-fraction X");
        }
        ForecastModel model;
        try (InputStream in = Files.newInputStream(modelPath)) {
            model = ModelArtifacts.read(in, modelPath.toString()).model;
        }
        if (!model.targetsObserved()) {
            throw usage(modelPath + ": targets " + model.targets() + " are not all among the features "
                    + model.features() + ", so the file does not carry their actual values");
        }
        CsvSeries csv = CsvSeries.read(dataPath, data.delimiter, data.keyColumn, data.time(), model.features(),
                model.featureCount());
        for (String p : csv.problems) {
            out.println("evaluate: skipped " + p);
        }
        List<Replay.Series> series = series(csv, model.featureCount());
        int[] from = new int[series.size()];
        if (fromFraction != null && fromFraction >= 1) {
            throw usage("--from-fraction must be below 1, got " + fromFraction);
        }
        for (int k = 0; k < from.length; k++) {
            from[k] = fromFraction != null ? (int) Math.floor(fromFraction * series.get(k).rows()) : fromRow;
        }
        if (toRow != null && toFraction != null) {
            throw usage("give at most one of --to-row N and --to-fraction X");
        }
        int[] to = null;
        if (toRow != null || toFraction != null) {
            to = new int[series.size()];
            for (int k = 0; k < to.length; k++) {
                to[k] = toFraction != null ? (int) Math.floor(toFraction * series.get(k).rows()) : toRow;
                if (to[k] <= from[k]) {
                    throw usage("the evaluation range of key " + series.get(k).key() + " is empty (rows " + from[k]
                            + " to " + to[k] + ")");
                }
            }
        }
        int s = season != null ? season
                : Evaluation.seasonFor(TimeFeatures.samplingInterval(series.get(0).times()));
        Evaluation e = Evaluation.run(model, series, from, to, s, threads.threads, adaptation);
        out.print(EvaluationReport.table(e));
        if (report != null) {
            Path md = Paths.get(report + ".md");
            if (md.toAbsolutePath().getParent() != null) {
                Files.createDirectories(md.toAbsolutePath().getParent());
            }
            Files.writeString(md, EvaluationReport.markdown(e, dataPath.toString()), StandardCharsets.UTF_8);
            Files.writeString(Paths.get(report + ".json"), EvaluationReport.json(e, dataPath.toString()),
                    StandardCharsets.UTF_8);
            out.println("evaluate: report " + md + " and " + report + ".json");
        }
        out.printf(Locale.ROOT, "evaluate: %d keys, %d rows, season %d, %d bad rows skipped%n", series.size(),
                csv.rows.size(), s, csv.problems.size());
        return 0;
    }

    /** The CSV's rows grouped per key, in file order. */
    static List<Replay.Series> series(CsvSeries csv, int features) {
        List<List<CsvSeries.Row>> byKey = new ArrayList<>();
        for (int k = 0; k < csv.keyCount(); k++) {
            byKey.add(new ArrayList<>());
        }
        for (CsvSeries.Row r : csv.rows) {
            byKey.get(r.key).add(r);
        }
        List<Replay.Series> out = new ArrayList<>();
        for (int k = 0; k < byKey.size(); k++) {
            List<CsvSeries.Row> rows = byKey.get(k);
            long[] t = new long[rows.size()];
            float[] x = new float[rows.size() * features];
            for (int i = 0; i < rows.size(); i++) {
                t[i] = rows.get(i).time;
                System.arraycopy(rows.get(i).values, 0, x, i * features, features);
            }
            out.add(new Replay.Series(csv.keyName(k), t, x));
        }
        return out;
    }
}
