package io.flinkrnn.stepper;

import io.flinkrnn.kernels.model.ModelValidationException;
import io.flinkrnn.kernels.model.RnnModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deployable forecaster: the network the kernels run plus everything that turns a key's raw observations
 * into the network's inputs and its outputs back into forecasts. The artifact records all of it, so the
 * stream, every replay and the trainer apply the same rules.
 *
 * <ul>
 *   <li>{@link #features()}: the measured values an observation carries, in order; {@link #targets()}: what
 *       is forecast, {@link #steps()} steps ahead each. The head has steps x targets outputs, step-major:
 *       output {@code (k - 1) * T + c} is step k of target c.
 *   <li>{@link #scaling()}: the model's global z-score, or per-key running statistics ({@link RowTransform}).
 *   <li>{@link #relativeToLast()}: the head predicts each step as a change from the key's last value of the
 *       target, so a zero output forecasts exactly the last value.
 *   <li>{@link #inputDifferences()}: the change of every feature since the key's previous row is fed too.
 *   <li>{@link #timeFeatures()}: calendar inputs computed from each observation's event time.
 *   <li>{@link #guard()}: per key and output, how much of the model's change from the last value to trust,
 *       learned online from the key's own errors ({@link ForecastGuard}); {@link #guardRecent()}: over how
 *       many recent forecasts it also checks that choice against the last value (0 = it does not);
 *       {@link #guardLevel()}: the span of a short level of the key's values the guard may forecast steps 2
 *       and on with instead (0 = it may not); {@link #guardEvidence()}: by how many standard errors a blend
 *       must beat the last value before step 1 leaves it (0 = any advantage will do).
 * </ul>
 */
public final class ForecastModel implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RnnModel network;
    private final List<String> features;
    private final List<String> targets;
    private final int[] targetInputs;
    private final int steps;
    private final Scaling scaling;
    private final int scalingSpan;
    private final boolean relativeToLast;
    private final boolean inputDifferences;
    private final TimeFeatures timeFeatures;
    private final boolean guard;
    private final int guardRecent;
    private final int guardLevel;
    private final float guardEvidence;

    private ForecastModel(Builder b, int[] targetInputs, int steps) {
        this.network = b.network;
        this.features = List.copyOf(b.features);
        this.targets = List.copyOf(b.targets);
        this.targetInputs = targetInputs;
        this.steps = steps;
        this.scaling = b.scaling;
        this.scalingSpan = b.scalingSpan;
        this.relativeToLast = b.relativeToLast;
        this.inputDifferences = b.inputDifferences;
        this.timeFeatures = b.timeFeatures;
        this.guard = b.guard;
        this.guardRecent = b.guardRecent;
        this.guardLevel = b.guardLevel;
        this.guardEvidence = b.guardEvidence;
    }

    /** A model around {@code network}, fed its own inputs as they come, with the global z-score it carries. */
    public static Builder builder(RnnModel network) {
        return new Builder(network);
    }

    /** The bare network as a one-target model: features f0.., target y, one head output per step. */
    public static ForecastModel of(RnnModel network) {
        return builder(network).build();
    }

    public RnnModel network() {
        return network;
    }

    /** The same names and per-key rules around another network of the same shape (the trainer's weights). */
    public ForecastModel withNetwork(RnnModel other) {
        return builder(other).features(features).targets(targets).scaling(scaling, scalingSpan)
                .relativeToLast(relativeToLast).inputDifferences(inputDifferences).timeFeatures(timeFeatures)
                .guard(guard).guardRecent(guardRecent).guardLevel(guardLevel).guardEvidence(guardEvidence).build();
    }


    public List<String> features() {
        return features;
    }

    public List<String> targets() {
        return targets;
    }

    /** Measured values per observation (the network may take more inputs: differences, time features). */
    public int featureCount() {
        return features.size();
    }

    public int targetCount() {
        return targets.size();
    }

    /** Steps ahead forecast per target. */
    public int steps() {
        return steps;
    }

    /** Head outputs: steps x targets. */
    public int outputs() {
        return network.horizon();
    }

    /** Target c's index among the features, or -1 when observations do not carry it. */
    public int targetInput(int c) {
        return targetInputs[c];
    }

    /** Each target's index among the features (-1 where observations do not carry it); a copy. */
    int[] targetInputs() {
        return targetInputs.clone();
    }

    /** Whether every target is also a feature, so its actual value arrives with each observation. */
    public boolean targetsObserved() {
        for (int i : targetInputs) {
            if (i < 0) {
                return false;
            }
        }
        return targetInputs.length > 0;
    }

    public Scaling scaling() {
        return scaling;
    }

    /** Rows the per-key statistics average over once warmed up (their exponential weight is 1/span). */
    public int scalingSpan() {
        return scalingSpan;
    }

    public boolean relativeToLast() {
        return relativeToLast;
    }

    public boolean inputDifferences() {
        return inputDifferences;
    }

    public TimeFeatures timeFeatures() {
        return timeFeatures;
    }

    public boolean guard() {
        return guard;
    }

    /**
     * The guard's recent window in resolved forecasts (0 = none): when the blend the guard's long-run errors
     * choose has done worse than the last value over about this many recent forecasts, the blend best over
     * them is used instead, so a key whose series has just changed regime falls back within a few rows.
     */
    public int guardRecent() {
        return guardRecent;
    }

    /**
     * The span in rows of the key's short level, a weighted mean of its recent values, that the guard may
     * forecast steps 2 and on with when that has been more accurate than every blend (0 = it may not): on a
     * series that is noise around a level, the level forecasts further steps better than the last value.
     */
    public int guardLevel() {
        return guardLevel;
    }

    /**
     * By how many standard errors a blend's paired advantage over the last value must be below zero before the
     * guard's one-step forecast leaves the last value for it (0 = the smallest long-run error decides alone): a
     * near tie between the two is noise, and following it loses to the last value on series where the model's
     * one-step change barely matters.
     */
    public float guardEvidence() {
        return guardEvidence;
    }

    /** The network inputs this model derives per row: features, their differences, time features. */
    public static int networkInputs(int features, boolean differences, TimeFeatures time) {
        return features * (differences ? 2 : 1) + time.count();
    }

    /** A one-line description for logs and reports. */
    public String describe() {
        return network.describe() + " steps=" + steps + " targets=" + targets + " scaling="
                + scaling.name().toLowerCase() + (scaling == Scaling.PER_KEY ? "(span " + scalingSpan + ")" : "")
                + (relativeToLast ? " relative-to-last" : "") + (inputDifferences ? " differences" : "")
                + (timeFeatures == TimeFeatures.NONE ? "" : " time=" + timeFeatures.name().toLowerCase())
                + (guard ? " guard" : "") + (guardRecent > 0 ? "(recent " + guardRecent + ")" : "")
                + (guardLevel > 0 ? "(level " + guardLevel + ")" : "")
                + (guardEvidence > 0 ? "(evidence " + guardEvidence + ")" : "");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ForecastModel)) {
            return false;
        }
        ForecastModel m = (ForecastModel) o;
        return network.equals(m.network) && features.equals(m.features) && targets.equals(m.targets)
                && steps == m.steps && scaling == m.scaling && scalingSpan == m.scalingSpan
                && relativeToLast == m.relativeToLast && inputDifferences == m.inputDifferences
                && timeFeatures == m.timeFeatures && guard == m.guard
                && guardRecent == m.guardRecent && guardLevel == m.guardLevel
                && Float.compare(guardEvidence, m.guardEvidence) == 0;
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + features.hashCode();
    }

    @Override
    public String toString() {
        return "ForecastModel[" + describe() + "]";
    }

    /** Names, the per-key rules and their parameters; {@link #build()} checks them against the network. */
    public static final class Builder {
        private final RnnModel network;
        private List<String> features;
        private List<String> targets;
        private Scaling scaling = Scaling.GLOBAL;
        private int scalingSpan = 500;
        private boolean relativeToLast;
        private boolean inputDifferences;
        private TimeFeatures timeFeatures = TimeFeatures.NONE;
        private boolean guard;
        private int guardRecent;
        private int guardLevel;
        private float guardEvidence;

        private Builder(RnnModel network) {
            this.network = network;
        }

        /** Names of the measured values, in observation order (default f0, f1, ...). */
        public Builder features(List<String> names) {
            this.features = names;
            return this;
        }

        /** Names of the forecast targets (default one target, y, or the single feature's name). */
        public Builder targets(List<String> names) {
            this.targets = names;
            return this;
        }

        public Builder scaling(Scaling scaling, int span) {
            this.scaling = scaling;
            this.scalingSpan = span;
            return this;
        }

        public Builder relativeToLast(boolean on) {
            this.relativeToLast = on;
            return this;
        }

        public Builder inputDifferences(boolean on) {
            this.inputDifferences = on;
            return this;
        }

        public Builder timeFeatures(TimeFeatures time) {
            this.timeFeatures = time;
            return this;
        }

        public Builder guard(boolean on) {
            this.guard = on;
            return this;
        }

        /** The guard's recent window in forecasts (default 0: none); needs the guard. */
        public Builder guardRecent(int forecasts) {
            this.guardRecent = forecasts;
            return this;
        }

        /** The span in rows of the guard's level for steps 2 and on (default 0: none); needs the guard. */
        public Builder guardLevel(int rows) {
            this.guardLevel = rows;
            return this;
        }

        /** Standard errors of the guard's one-step evidence test (default 0: none); needs the guard. */
        public Builder guardEvidence(float standardErrors) {
            this.guardEvidence = standardErrors;
            return this;
        }

        public ForecastModel build() {
            if (network == null) {
                throw new ModelValidationException("the forecast model has no network");
            }
            if (scaling == null || timeFeatures == null) {
                throw new ModelValidationException("scaling and time features must be set (not null)");
            }
            int derived = (inputDifferences ? 1 : 0) + 1;
            int measured = (network.inputSize() - timeFeatures.count()) / derived;
            List<String> f = features;
            if (f == null || f.isEmpty()) {
                f = new ArrayList<>();
                for (int i = 0; i < Math.max(measured, 0); i++) {
                    f.add("f" + i);
                }
            }
            features = f;
            List<String> problems = new ArrayList<>();
            if (networkInputs(f.size(), inputDifferences, timeFeatures) != network.inputSize()) {
                problems.add(f.size() + " features" + (inputDifferences ? " and their differences" : "")
                        + (timeFeatures.count() > 0 ? " and " + timeFeatures.count() + " time features" : "")
                        + " make " + networkInputs(f.size(), inputDifferences, timeFeatures)
                        + " network inputs, but the network takes " + network.inputSize());
            }
            List<String> t = targets;
            if (t == null || t.isEmpty()) {
                t = List.of(f.size() == 1 ? f.get(0) : "y");
            }
            targets = t;
            if (network.horizon() % t.size() != 0) {
                problems.add(t.size() + " targets do not divide the network's " + network.horizon()
                        + " head outputs (steps x targets)");
            }
            int[] at = new int[t.size()];
            for (int c = 0; c < at.length; c++) {
                at[c] = f.indexOf(t.get(c));
            }
            boolean observed = at.length > 0 && Arrays.stream(at).allMatch(i -> i >= 0);
            if (scaling == Scaling.PER_KEY && scalingSpan < 2) {
                problems.add("per-key scaling needs a span of at least 2 rows, got " + scalingSpan);
            }
            if (guardRecent < 0 || guardRecent == 1) {
                problems.add("the guard's recent window must be 0 (none) or at least 2 forecasts, got " + guardRecent);
            } else if (guardRecent > 0 && !guard) {
                problems.add("a recent window for the guard (" + guardRecent + " forecasts) needs the guard on");
            }
            if (guardLevel < 0 || guardLevel == 1) {
                problems.add("the guard's level span must be 0 (none) or at least 2 rows, got " + guardLevel);
            } else if (guardLevel > 0 && !guard) {
                problems.add("a level for the guard (span " + guardLevel + " rows) needs the guard on");
            } else if (guardLevel > 0 && network.horizon() / Math.max(t.size(), 1) < 2) {
                problems.add("the guard's level forecasts steps 2 and on, but the model forecasts one step");
            }
            if (!(guardEvidence >= 0) || Float.isInfinite(guardEvidence)) {
                problems.add("the guard's evidence must be a finite number of standard errors >= 0, got "
                        + guardEvidence);
            } else if (guardEvidence > 0 && !guard) {
                problems.add("an evidence test for the guard (" + guardEvidence
                        + " standard errors) needs the guard on");
            }
            String needsTargets = "every target to be a feature (observations must carry its actual value), but"
                    + " targets " + t + " are not all among features " + f;
            if ((scaling == Scaling.PER_KEY || relativeToLast || guard) && !observed) {
                problems.add((scaling == Scaling.PER_KEY ? "per-key scaling" : relativeToLast
                        ? "forecasts relative to the last value" : "the guard") + " need " + needsTargets);
            }
            if (!problems.isEmpty()) {
                throw new ModelValidationException("invalid forecast model (" + network.describe() + "): "
                        + String.join("; ", problems));
            }
            return new ForecastModel(this, at, network.horizon() / t.size());
        }
    }
}
