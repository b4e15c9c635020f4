package io.flinkrnn.cli;

import io.flinkrnn.cli.csv.TimeColumn;
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

/**
 * {@code flink-rnn evaluate --model M --data FILE [--key-column k] [--time-column t] (--from-row N |
 * --from-fraction X) [--season S] [--out REPORT]}: replays the whole file through the stepper and scores each
 * key's rows from N (or from the fraction X of its rows) against the last value, the seasonal naive forecast,
 * a moving average and the linear baseline ({@link Evaluation}); a table on the terminal, markdown and JSON
 * next to {@code --out}.
 */
final class EvaluateCommand {
    static final List<String> OPTIONS = List.of("model", "data", "key-column", "time-column", CliOptions.DELIMITER,
            "from-row", "from-fraction", "season", "out", "threads", "adaptation", "to-row", "to-fraction");

    private EvaluateCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            out.println("usage: flink-rnn evaluate --model MODEL.avro --data FILE.csv [--key-column K] [--time-column T]"
                    + " (--from-row N | --from-fraction X) [--to-row N | --to-fraction X (default: the end; a"
                    + " validation range before the test rows)] [--season ROWS (default: a day of sub-daily rows, a week of"
                    + " daily rows)] [--out REPORT (writes REPORT.md and REPORT.json)] [--threads T]"
                    + " [--adaptation off|head (per-key head correction, as the job's adaptation setting)]");
            out.println("  " + TimeColumn.HELP);
            out.println("  " + CliOptions.DELIMITER_HELP);
            return 0;
        }
        CliOptions o = CliOptions.parse("evaluate", args, OPTIONS);
        Path modelPath = file(o, "model");
        Path data = file(o, "data");
        if (o.has("from-row") == o.has("from-fraction")) {
            throw new UsageException("evaluate: give exactly one of --from-row N and --from-fraction X");
        }
        ForecastModel model;
        try (InputStream in = Files.newInputStream(modelPath)) {
            model = ModelArtifacts.read(in, modelPath.toString()).model;
        }
        if (!model.targetsObserved()) {
            throw new UsageException("evaluate: " + modelPath + ": targets " + model.targets() + " are not all among"
                    + " the features " + model.features() + ", so the file does not carry their actual values");
        }
        CsvSeries csv = CsvSeries.read(data, o.delimiter(), o.string("key-column", null),
                TimeColumn.named(o.string("time-column", null)),
                model.features(), model.featureCount());
        for (String p : csv.problems) {
            out.println("evaluate: skipped " + p);
        }
        List<Replay.Series> series = series(csv, model.featureCount());
        int[] from = new int[series.size()];
        double fraction = o.has("from-fraction") ? o.decimal("from-fraction", 0.5, 0) : -1;
        if (fraction >= 1) {
            throw new UsageException("evaluate: --from-fraction must be below 1, got " + fraction);
        }
        int fromRow = o.has("from-row") ? o.integer("from-row", 0, 1) : -1;
        for (int k = 0; k < from.length; k++) {
            from[k] = fraction >= 0 ? (int) Math.floor(fraction * series.get(k).rows()) : fromRow;
        }
        if (o.has("to-row") && o.has("to-fraction")) {
            throw new UsageException("evaluate: give at most one of --to-row N and --to-fraction X");
        }
        int[] to = null;
        if (o.has("to-row") || o.has("to-fraction")) {
            to = new int[series.size()];
            double toFraction = o.has("to-fraction") ? o.decimal("to-fraction", 1, 0) : -1;
            int toRow = o.has("to-row") ? o.integer("to-row", 0, 1) : -1;
            for (int k = 0; k < to.length; k++) {
                to[k] = toFraction >= 0 ? (int) Math.floor(toFraction * series.get(k).rows()) : toRow;
                if (to[k] <= from[k]) {
                    throw new UsageException("evaluate: the evaluation range of key " + series.get(k).key()
                            + " is empty (rows " + from[k] + " to " + to[k] + ")");
                }
            }
        }
        int season = o.has("season") ? o.integer("season", 1, 1)
                : Evaluation.seasonFor(TimeFeatures.samplingInterval(series.get(0).times()));
        Evaluation e = Evaluation.run(model, series, from, to, season,
                o.integer("threads", Runtime.getRuntime().availableProcessors(), 1),
                Adaptation.valueOf(o.choice("adaptation", "off", "off", "head").toUpperCase(Locale.ROOT)));
        out.print(EvaluationReport.table(e));
        String report = o.string("out", null);
        if (report != null) {
            Path md = Paths.get(report + ".md");
            if (md.toAbsolutePath().getParent() != null) {
                Files.createDirectories(md.toAbsolutePath().getParent());
            }
            Files.writeString(md, EvaluationReport.markdown(e, data.toString()), StandardCharsets.UTF_8);
            Files.writeString(Paths.get(report + ".json"), EvaluationReport.json(e, data.toString()),
                    StandardCharsets.UTF_8);
            out.println("evaluate: report " + md + " and " + report + ".json");
        }
        out.printf(Locale.ROOT, "evaluate: %d keys, %d rows, season %d, %d bad rows skipped%n", series.size(),
                csv.rows.size(), season, csv.problems.size());
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

    private static Path file(CliOptions o, String name) {
        String v = o.string(name, null);
        if (v == null) {
            throw new UsageException("evaluate: --" + name + " is required");
        }
        Path p = Paths.get(v);
        if (name.equals("data") ? !Files.exists(p) : !Files.isRegularFile(p)) {
            throw new UsageException("evaluate: --" + name + " " + v + (name.equals("data")
                    ? " does not exist (a CSV file or a folder of them)" : " is not a file"));
        }
        return p;
    }
}
