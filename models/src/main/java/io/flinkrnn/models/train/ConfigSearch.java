package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardRules;
import io.flinkrnn.stepper.Scaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code train --budget}: a few configurations around the given one, trained in a fixed order until the time
 * budget (or the candidate count) runs out, the one with the lowest validation figure its loss judges by kept
 * ({@link TrainingLoss#judge}: MSE, or MAE under the Huber loss; every candidate has the given loss). The order
 * puts the likeliest wins first: the given configuration, the other cell, input differences, twice the hidden size,
 * direct forecasts instead of relative ones, the global z-score instead of per-key scaling, the guard without its
 * level and evidence test. Every candidate
 * uses the same seed and split, so for a given count the result is reproducible; the budget only decides how
 * many are tried (fix that with the count).
 */
public final class ConfigSearch {
    /** One candidate's outcome. */
    public record Tried(String change, TrainingConfig config, Trainer.Result result, double seconds) {
    }

    private ConfigSearch() {
    }

    /** The candidates, in order, each with a short description of what it changes. */
    static List<Object[]> candidates(TrainingConfig c) {
        java.util.function.Function<TrainingConfig, TrainingConfig.Builder> from = TrainingConfig::toBuilder;
        List<Object[]> out = new ArrayList<>();
        out.add(new Object[] {"as given", c});
        out.add(new Object[] {"cell " + (c.cell == CellType.LSTM ? "gru" : "lstm"),
            from.apply(c).cell(c.cell == CellType.LSTM ? CellType.GRU : CellType.LSTM).build()});
        ForecastRules r = c.rules;
        if (!r.inputDifferences()) {
            out.add(new Object[] {"input differences", from.apply(c).rules(r.withInputDifferences(true)).build()});
        }
        out.add(new Object[] {"hidden " + 2 * c.hidden, from.apply(c).hidden(2 * c.hidden).build()});
        if (r.relativeToLast()) {
            out.add(new Object[] {"direct forecasts", from.apply(c).rules(r.withRelativeToLast(false)
                .withGuard(GuardRules.off())).build()});
        }
        if (r.scaling() == Scaling.PER_KEY && !r.relativeToLast()) {
            out.add(new Object[] {"global z-score", from.apply(c).rules(r.withScaling(Scaling.GLOBAL, r.scalingSpan()))
                .build()});
        }
        if (r.guard().level() > 0 || r.guard().evidence() > 0) {
            // Same weights unless early stopping turns; on some series neither option forecasts better.
            out.add(new Object[] {"plain guard", from.apply(c).rules(r.withGuard(r.guard().withLevel(0)
                .withEvidence(0f))).build()});
        }
        return out;
    }

    /**
     * Trains candidates until {@code budgetSeconds} would be exceeded (the next one is started only if the slowest
     * so far still fits) or {@code maxCandidates} are done; returns every one tried, the best first.
     */
    public static List<Tried> run(TrainingData data, TrainingConfig c, double budgetSeconds, int maxCandidates,
            TrainingListener listener) {
        long t0 = System.nanoTime();
        List<Tried> tried = new ArrayList<>();
        double slowest = 0;
        for (Object[] candidate : candidates(c)) {
            double elapsed = (System.nanoTime() - t0) / 1e9;
            if (tried.size() >= maxCandidates || (!tried.isEmpty() && elapsed + slowest > budgetSeconds)) {
                break;
            }
            long s0 = System.nanoTime();
            TrainingConfig config = (TrainingConfig) candidate[1];
            Trainer.Result r = Trainer.train(data, config, listener);
            double seconds = (System.nanoTime() - s0) / 1e9;
            slowest = Math.max(slowest, seconds);
            tried.add(new Tried((String) candidate[0], config, r, seconds));
        }
        tried.sort(java.util.Comparator.comparingDouble(ConfigSearch::score));
        return tried;
    }

    private static double score(Tried t) {
        double v = t.config().loss.judge(t.result().report.validation.model);
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }

    /** A markdown section listing every candidate with its validation figures and the baselines. */
    public static String markdown(List<Tried> tried) {
        StringBuilder b = new StringBuilder("\n## Configurations tried (--budget)\n\n| candidate | validation MSE |"
                + " validation MAE | last value MSE | seasonal naive MSE | linear MSE | seconds |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < tried.size(); i++) {
            Tried t = tried.get(i);
            TrainingReport.Scores v = t.result().report.validation;
            b.append(String.format(Locale.ROOT, "| %s%s | %.5f | %.5f | %.5f | %.5f | %.5f | %.1f |%n", t.change(),
                    i == 0 ? " (kept)" : "", v.model.mse, v.model.mae, v.lastValue.mse, v.seasonalNaive.mse,
                    v.linear.mse, t.seconds()));
        }
        return b.toString();
    }
}
