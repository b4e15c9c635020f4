package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.models.evaluate.LinearBaseline;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.models.train.ForecastEvaluation.Predictor;
import io.flinkrnn.models.train.ForecastEvaluation.SplitPart;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the stacked LSTM/GRU + dense multi-horizon head that the kernels run, on one or more series.
 *
 * <p>Truncated backpropagation through time over windows of the training rows, Adam, gradient clipping,
 * early stopping on the validation rows. A window does not start from a zero state: at the start of each
 * epoch one forward pass over each series' training rows records the state at every window start, so the
 * windows learn from the states a long-running stream actually has (the operator steps a key for ever,
 * never from a fresh window). Each row's loss is the squared error of every target at t+1..t+horizon that
 * lies inside the training rows.
 *
 * <p>Mini-batches are cut into shards of a fixed number of windows computed in parallel ({@link
 * ShardGradients}: float32 matrix-matrix products over a shard's windows by default, or the float64 reference
 * one window at a time), each into its own gradient buffer, summed in shard order: the same seed gives the
 * same bits whatever the thread count. Validation and the report score the float32 model through the kernels
 * ({@link ForecastEvaluation}), so the chosen epoch is chosen on the bits that are deployed.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /**
     * Target terms farther than this from the key's center, in the key's scale, are left out of the loss. Under
     * per-key scaling such terms (1e12 and more) arise only where a key leaves a constant stretch, whose scale
     * is floored near zero; one of them outweighs every other term of an epoch, and in float32 rounds the rest of
     * its batch's gradient away. A warm-up's merely large targets (the first rows' variance is small) stay in.
     */
    static final double MAX_SCALED_TARGET = 1e6;

    private Trainer() {
    }

    /** The trained float32 model (normalisation and per-key rules included) and its report. */
    public static final class Result {
        public final ForecastModel model;
        public final TrainingReport report;

        Result(ForecastModel model, TrainingReport report) {
            this.model = model;
            this.report = report;
        }
    }

    record Window(int series, int start, int steps) {
    }

    public static Result train(TrainingData data, TrainingConfig c, TrainingListener listener) {
        long t0 = System.nanoTime();
        int features = data.featureCount();
        int targets = data.targetCount();
        int outputs = c.horizon * targets;
        int inputs = c.rules.networkInputs(features);
        Normalization report = PreparedSeries.fit(data, c.split, c.horizon, inputs);
        Normalization norm = c.rules.scaling() == Scaling.GLOBAL ? report : Normalization.identity(inputs, outputs);
        ParameterLayout layout = new ParameterLayout(c.cell, inputs, c.hidden, c.layers, outputs);
        SplittableRandom random = new SplittableRandom(c.seed);
        double[] p = layout.initialise(random);
        ForecastModel template = ForecastModel.builder(layout.toModel(p, norm)).features(data.featureNames)
                .targets(data.targetNames).rules(c.rules).build();
        // Epochs are judged without the guard's linear model: it is no part of what they train, and a key it forecasts
        // well would hide an untrained network from early stopping (weather stopped at epoch 6 of 20 with it).
        ForecastModel judged = ForecastModel.builder(layout.toModel(p, norm)).features(data.featureNames)
                .targets(data.targetNames).rules(c.rules.withGuard(c.rules.guard().withLinear(0))).build();
        List<PreparedSeries> series = new ArrayList<>();
        for (TrainingData.Series s : data.series) {
            series.add(new PreparedSeries(s, template, c.split.bounds(s.rows)));
        }
        TrainingReport training = new TrainingReport(c.describe(), describe(data, series));
        training.parameters = layout.size();
        double[] best = p.clone();
        double bestVal = Double.POSITIVE_INFINITY;
        boolean hasValidation = series.stream().anyMatch(s -> s.valEnd - s.trainEnd > c.horizon);
        Adam adam = new Adam(layout.size(), c.learningRate, c.clipNorm);
        double[] grad = new double[layout.size()];
        long windowsDone = 0;
        long gradientNanos = 0;
        try (ShardGradients gradients = new ShardGradients(layout, c.window, c.batch, c.threads, c.precision,
                c.loss)) {
            for (int epoch = 1; epoch <= c.epochs; epoch++) {
                long e0 = System.nanoTime();
                List<Window> windows = windows(series, c, random.nextInt(c.stride), random);
                if (windows.isEmpty()) {
                    throw new IllegalArgumentException("no training window fits: every series has fewer training"
                            + " rows than 2 (window " + c.window + "); add rows or shrink the window");
                }
                double[][] starts = startStates(series, windows, layout, p, c.window, c.precision);
                shuffle(windows, starts, random);
                ShardGradients.Windows rows = new ShardGradients.Windows() {
                    @Override
                    public int steps(int i) {
                        return windows.get(i).steps();
                    }

                    @Override
                    public double[] inputs(int i) {
                        return Trainer.inputs(series.get(windows.get(i).series()), windows.get(i), inputs);
                    }

                    @Override
                    public double[] targets(int i) {
                        return Trainer.targets(series.get(windows.get(i).series()), windows.get(i), outputs, targets);
                    }

                    @Override
                    public double[] start(int i) {
                        return starts[i];
                    }
                };
                int batches = (windows.size() + c.batch - 1) / c.batch;
                double epochSse = 0;
                double epochTerms = 0;
                for (int b = 0; b < batches; b++) {
                    long g0 = System.nanoTime();
                    int from = b * c.batch;
                    int to = Math.min(windows.size(), from + c.batch);
                    double[] batchSums = gradients.batch(rows, from, to, p, grad);
                    double sse = batchSums[0];
                    double terms = batchSums[1];
                    if (terms > 0) {
                        adam.step(p, grad, 1.0 / terms);
                    }
                    epochSse += sse;
                    epochTerms += terms;
                    windowsDone += to - from;
                    gradientNanos += System.nanoTime() - g0;
                    listener.batchDone(epoch, c.epochs, b + 1, batches, terms > 0 ? sse / terms : Double.NaN,
                            windowsDone / (gradientNanos / 1e9), System.nanoTime() - t0);
                }
                ForecastErrors ve = new ForecastErrors(0, 0, 0); // NaN figures
                if (hasValidation) {
                    ForecastModel m = judged.withNetwork(layout.toModel(p, norm));
                    ve = ForecastEvaluation.errors(Predictor.MODEL, series, ForecastEvaluation.forecasts(m, series),
                            c.horizon, targets, c.season, SplitPart.VALIDATION, report);
                }
                double val = c.loss.judge(ve);
                TrainingReport.Epoch done = new TrainingReport.Epoch(epoch, epochSse / epochTerms, ve.mse, ve.mae,
                        (System.nanoTime() - e0) / 1e9);
                training.epochs.add(done);
                listener.epochDone(done, c.epochs);
                LOG.info("epoch {}/{}: train mse {} validation mse {} mae {}", epoch, c.epochs, done.trainMse,
                        ve.mse, ve.mae);
                if (!hasValidation || val < bestVal) {
                    bestVal = hasValidation ? val : bestVal;
                    System.arraycopy(p, 0, best, 0, p.length);
                    training.bestEpoch = epoch;
                } else if (epoch - training.bestEpoch >= c.patience) {
                    training.stoppedEarly = true;
                    break;
                }
            }
        }
        ForecastModel model = template.withNetwork(layout.toModel(best, norm));
        float[][] forecasts = ForecastEvaluation.forecasts(model, series);
        LinearBaseline[][] linear = ForecastEvaluation.linear(series, c.horizon, targets);
        training.validation = scores(series, forecasts, linear, c, targets, SplitPart.VALIDATION, report);
        training.test = series.stream().anyMatch(s -> s.testEnd - s.valEnd > c.horizon)
                ? scores(series, forecasts, linear, c, targets, SplitPart.TEST, report) : null;
        if (series.size() > 1) {
            for (int s = 0; s < series.size(); s++) {
                if (series.get(s).valEnd - series.get(s).trainEnd > c.horizon) {
                    training.validationByKey.put(series.get(s).raw.key, scores(List.of(series.get(s)),
                            new float[][] {forecasts[s]}, new LinearBaseline[][] {linear[s]}, c, targets,
                            SplitPart.VALIDATION, report));
                }
            }
        }
        training.trainSeconds = (System.nanoTime() - t0) / 1e9;
        training.samplesPerSecond = windowsDone / (gradientNanos / 1e9);
        return new Result(model, training);
    }

    private static TrainingReport.Scores scores(List<PreparedSeries> series, float[][] forecasts,
            LinearBaseline[][] linear, TrainingConfig c, int targets, SplitPart part, Normalization report) {
        ForecastErrors[] e = new ForecastErrors[Predictor.values().length];
        for (Predictor p : Predictor.values()) {
            e[p.ordinal()] = ForecastEvaluation.errors(p, series, forecasts, linear, c.horizon, targets, c.season, part,
                    report);
        }
        return new TrainingReport.Scores(e[Predictor.MODEL.ordinal()], e[Predictor.LAST_VALUE.ordinal()],
                e[Predictor.SEASONAL_NAIVE.ordinal()], e[Predictor.LINEAR.ordinal()]);
    }

    /** Window starts at offset, offset + stride, ...; each window ends inside the training rows. */
    /**
     * Window starts at offset, offset + stride, ...; each window ends inside the training rows. Keys are sampled
     * fairly: a key with more windows than twice the median key's gets that many, drawn afresh every epoch (so
     * over the epochs all its rows are seen), and a key with 20k rows does not drown one with 2k. Windows stay in
     * row order per key (the start states are computed in one pass per key).
     */
    static List<Window> windows(List<PreparedSeries> series, TrainingConfig c, int offset,
            SplittableRandom random) {
        List<List<Window>> perKey = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            List<Window> w = new ArrayList<>();
            int end = series.get(s).trainEnd;
            for (int start = offset; start < end - 1; start += c.stride) {
                w.add(new Window(s, start, Math.min(c.window, end - start - 1)));
            }
            perKey.add(w);
        }
        int[] counts = perKey.stream().mapToInt(List::size).sorted().toArray();
        int cap = Math.max(1, 2 * counts[counts.length / 2]);
        List<Window> out = new ArrayList<>();
        for (List<Window> w : perKey) {
            if (w.size() <= cap) {
                out.addAll(w);
                continue;
            }
            int[] pick = new int[w.size()];
            for (int i = 0; i < pick.length; i++) {
                pick[i] = i;
            }
            for (int i = 0; i < cap; i++) {
                int j = i + random.nextInt(pick.length - i);
                int t = pick[i];
                pick[i] = pick[j];
                pick[j] = t;
            }
            int[] chosen = Arrays.copyOf(pick, cap);
            Arrays.sort(chosen);
            for (int i : chosen) {
                out.add(w.get(i));
            }
        }
        return out;
    }

    /** The state before each window's first row, from one forward pass per series with the current weights. */
    private static double[][] startStates(List<PreparedSeries> series, List<Window> windows, ParameterLayout lay,
            double[] p, int chunk, TrainingConfig.Precision precision) {
        int stateSize = lay.layers * lay.hidden * (lay.cell.statesPerLayer());
        double[][] starts = new double[windows.size()][];
        // In float32 the same arithmetic as the windows' own forward pass, one series at a time.
        // Forward passes only: the loss is never used.
        TrainingLoss unused = TrainingLoss.mse();
        WindowGradient w = precision == TrainingConfig.Precision.FLOAT64 ? new WindowGradient(lay, chunk, unused)
                : null;
        BatchGradient f = w == null ? new BatchGradient(lay, 1, chunk, BatchMath.best(), unused) : null;
        BatchParameters fp = w == null ? new BatchParameters(lay).load(p) : null;
        double[] x = new double[chunk * lay.inputSize];
        int i = 0;
        while (i < windows.size()) {
            int s = windows.get(i).series();
            PreparedSeries ps = series.get(s);
            double[] state = new double[stateSize];
            int row = 0;
            for (; i < windows.size() && windows.get(i).series() == s; i++) {
                int start = windows.get(i).start();
                while (row < start) {
                    int n = Math.min(chunk, start - row);
                    System.arraycopy(ps.x, row * lay.inputSize, x, 0, n * lay.inputSize);
                    double[] next = new double[stateSize];
                    if (w != null) {
                        w.advance(n, x, state, p, next);
                    } else {
                        f.advance(n, x, state, fp, next);
                    }
                    state = next;
                    row += n;
                }
                starts[i] = state;
            }
        }
        return starts;
    }

    private static void shuffle(List<Window> windows, double[][] starts, SplittableRandom random) {
        for (int i = windows.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Window w = windows.get(i);
            windows.set(i, windows.get(j));
            windows.set(j, w);
            double[] s = starts[i];
            starts[i] = starts[j];
            starts[j] = s;
        }
    }

    private static double[] inputs(PreparedSeries ps, Window w, int features) {
        return Arrays.copyOfRange(ps.x, w.start() * features, (w.start() + w.steps()) * features);
    }

    /** [steps][horizon*T], step-major, scaled as the stepper will undo it; NaN past the training rows. */
    private static double[] targets(PreparedSeries ps, Window w, int outputs, int targets) {
        double[] y = new double[w.steps() * outputs];
        for (int t = 0; t < w.steps(); t++) {
            int row = w.start() + t;
            for (int i = 0; i < outputs; i++) {
                double v = row + i / targets + 1 < ps.trainEnd ? ps.y[row * outputs + i] : Double.NaN;
                y[t * outputs + i] = Math.abs(v) > MAX_SCALED_TARGET ? Double.NaN : v;
            }
        }
        return y;
    }

    private static Map<String, String> describe(TrainingData data, List<PreparedSeries> series) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("features", String.join(",", data.featureNames));
        m.put("targets", String.join(",", data.targetNames));
        m.put("series", Integer.toString(series.size()));
        m.put("train rows", Long.toString(series.stream().mapToLong(s -> s.trainEnd).sum()));
        m.put("validation rows", Long.toString(series.stream().mapToLong(s -> s.valEnd - s.trainEnd).sum()));
        m.put("test rows", Long.toString(series.stream().mapToLong(s -> s.testEnd - s.valEnd).sum()));
        return m;
    }
}
