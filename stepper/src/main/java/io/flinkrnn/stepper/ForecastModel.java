package io.flinkrnn.stepper;

import io.flinkrnn.kernels.model.ModelValidationException;
import io.flinkrnn.kernels.model.RnnModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A deployable forecaster: the network the kernels run, the names of what it reads and forecasts, and the
 * {@link ForecastRules} that turn a key's raw observations into the network's inputs and its outputs back into
 * forecasts. The artifact records all of it, so the stream, every replay and the trainer apply the same rules.
 *
 * <p>{@link #features()} are the measured values an observation carries, in order; {@link #targets()} what is
 * forecast, {@link #steps()} steps ahead each. The head has steps x targets outputs, step-major: output
 * {@code (k - 1) * T + c} is step k of target c. The rule accessors ({@link #scaling()}, {@link #guard()}, ...)
 * read {@link #rules()}.
 */
public final class ForecastModel implements Serializable {
    private static final long serialVersionUID = 2L;

    private final RnnModel network;
    private final List<String> features;
    private final List<String> targets;
    private final int[] targetInputs;
    private final int steps;
    private final ForecastRules rules;

    private ForecastModel(RnnModel network, List<String> features, List<String> targets, int[] targetInputs,
            int steps, ForecastRules rules) {
        this.network = network;
        this.features = List.copyOf(features);
        this.targets = List.copyOf(targets);
        this.targetInputs = targetInputs;
        this.steps = steps;
        this.rules = rules;
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
        return builder(other).features(features).targets(targets).rules(rules).build();
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
        return network.outputSize();
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

    /** The per-key rules: scaling, relative forecasts, input differences, time features, the guard. */
    public ForecastRules rules() {
        return rules;
    }

    /** {@link ForecastRules#scaling()}. */
    public Scaling scaling() {
        return rules.scaling();
    }

    /** {@link ForecastRules#scalingSpan()}. */
    public int scalingSpan() {
        return rules.scalingSpan();
    }

    /** {@link ForecastRules#relativeToLast()}. */
    public boolean relativeToLast() {
        return rules.relativeToLast();
    }

    /** {@link ForecastRules#inputDifferences()}. */
    public boolean inputDifferences() {
        return rules.inputDifferences();
    }

    /** {@link ForecastRules#timeFeatures()}. */
    public TimeFeatures timeFeatures() {
        return rules.timeFeatures();
    }

    /** Whether the guard runs: {@link GuardRules#enabled()}. */
    public boolean guard() {
        return rules.guard().enabled();
    }

    /** {@link GuardRules#recent()}. */
    public int guardRecent() {
        return rules.guard().recent();
    }

    /** {@link GuardRules#level()}. */
    public int guardLevel() {
        return rules.guard().level();
    }

    /** {@link GuardRules#linear()}. */
    public int guardLinear() {
        return rules.guard().linear();
    }

    /** {@link GuardRules#error()}. */
    public GuardError guardError() {
        return rules.guard().error();
    }

    /** {@link GuardRules#evidence()}. */
    public float guardEvidence() {
        return rules.guard().evidence();
    }

    /** {@link ForecastRules#networkInputs(int, boolean, TimeFeatures)}. */
    public static int networkInputs(int features, boolean differences, TimeFeatures time) {
        return ForecastRules.networkInputs(features, differences, time);
    }

    /** A one-line description for logs and reports. */
    public String describe() {
        return network.describe() + " steps=" + steps + " targets=" + targets + " " + rules.describe();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ForecastModel)) {
            return false;
        }
        ForecastModel m = (ForecastModel) o;
        return network.equals(m.network) && features.equals(m.features) && targets.equals(m.targets)
                && steps == m.steps && rules.equals(m.rules);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + features.hashCode();
    }

    @Override
    public String toString() {
        return "ForecastModel[" + describe() + "]";
    }

    /**
     * Names and rules; {@link #build()} checks them against the network. The rule setters below {@link
     * #rules(ForecastRules)} change one rule of the current value each (checked as they are set).
     */
    public static final class Builder {
        private final RnnModel network;
        private List<String> features;
        private List<String> targets;
        private ForecastRules rules = ForecastRules.plain();

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

        /** Every per-key rule at once (default {@link ForecastRules#plain()}). */
        public Builder rules(ForecastRules r) {
            this.rules = r;
            return this;
        }

        public Builder scaling(Scaling scaling, int span) {
            return rules(rules.withScaling(scaling, span));
        }

        public Builder relativeToLast(boolean on) {
            return rules(rules.withRelativeToLast(on));
        }

        public Builder inputDifferences(boolean on) {
            return rules(rules.withInputDifferences(on));
        }

        public Builder timeFeatures(TimeFeatures time) {
            return rules(rules.withTimeFeatures(time));
        }

        /** Switches the guard on or off, keeping its options (which need it on). */
        public Builder guard(boolean on) {
            return rules(rules.withGuard(rules.guard().withEnabled(on)));
        }

        public Builder guardRecent(int forecasts) {
            return rules(rules.withGuard(rules.guard().withRecent(forecasts)));
        }

        public Builder guardLevel(int rows) {
            return rules(rules.withGuard(rules.guard().withLevel(rows)));
        }

        public Builder guardLinear(int rows) {
            return rules(rules.withGuard(rules.guard().withLinear(rows)));
        }

        public Builder guardError(GuardError error) {
            return rules(rules.withGuard(rules.guard().withError(error)));
        }

        public Builder guardEvidence(float standardErrors) {
            return rules(rules.withGuard(rules.guard().withEvidence(standardErrors)));
        }

        public ForecastModel build() {
            if (network == null) {
                throw new ModelValidationException("the forecast model has no network");
            }
            if (rules == null) {
                throw new ModelValidationException("the forecast rules must be set (not null)");
            }
            List<String> f = features;
            if (f == null || f.isEmpty()) {
                f = new ArrayList<>();
                for (int i = 0; i < Math.max(rules.measuredFeatures(network.inputSize()), 0); i++) {
                    f.add("f" + i);
                }
            }
            List<String> problems = new ArrayList<>();
            int inputs = rules.networkInputs(f.size());
            if (inputs != network.inputSize()) {
                problems.add(f.size() + " features" + (rules.inputDifferences() ? " and their differences" : "")
                        + (rules.timeFeatures().count() > 0 ? " and " + rules.timeFeatures().count()
                        + " time features" : "") + " make " + inputs + " network inputs, but the network takes "
                        + network.inputSize());
            }
            List<String> t = targets == null || targets.isEmpty() ? List.of(f.size() == 1 ? f.get(0) : "y") : targets;
            if (network.outputSize() % t.size() != 0) {
                problems.add(t.size() + " targets do not divide the network's " + network.outputSize()
                        + " head outputs (steps x targets)");
            }
            int steps = network.outputSize() / t.size();
            rules.stepsProblem(steps).ifPresent(problems::add);
            rules.targetsProblem(f, t).ifPresent(problems::add);
            if (!problems.isEmpty()) {
                throw new ModelValidationException("invalid forecast model (" + network.describe() + "): "
                        + String.join("; ", problems));
            }
            int[] at = new int[t.size()];
            for (int c = 0; c < at.length; c++) {
                at[c] = f.indexOf(t.get(c));
            }
            return new ForecastModel(network, f, t, at, steps, rules);
        }
    }
}
