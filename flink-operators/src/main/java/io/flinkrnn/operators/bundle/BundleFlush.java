package io.flinkrnn.operators.bundle;

import io.flinkrnn.operators.update.ModelVersions;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.ForecastSource;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a flush does, without Flink: hands the bundle's rows and the keys' state store to the {@link KeyStepper}'s
 * one stepping call, and turns every row into a {@link Forecast} or a dead letter, in arrival order. The operator
 * supplies the state store and the outputs.
 *
 * <p>With model updates, each row steps with the version {@link ModelVersions} gives it; the rows of each
 * version go through that version's stepper, versions in ascending order, so a key that switches inside a
 * bundle steps its old-model rows first; its state is carried over ({@link KeyStepper#adopt}) when it first
 * meets its new version.
 */
public final class BundleFlush {
    /** Where the rows go. */
    public interface Output {
        void forecast(int row, Forecast forecast);

        void rejected(int row, DeadLetterReason reason, String message);

        /** A key moved to another model version: what it kept. */
        default void switched(String key, long version, KeyStepper.Adopted what) {
        }
    }

    /** What one flush cost, and which of the guard's candidates made its forecasts. */
    public static final class Stats {
        public final int steppedRows;
        public final long kernelNanos;
        private final long[] sources;

        Stats(int steppedRows, long kernelNanos, long[] sources) {
            this.steppedRows = steppedRows;
            this.kernelNanos = kernelNanos;
            this.sources = sources;
        }

        /** Forecasts (outputs of stepped rows) that candidate {@code s} made. */
        public long forecastsBy(ForecastSource s) {
            return sources[s.ordinal()];
        }
    }

    /** Adds the forecasts of {@code b}'s last step to {@code sources}, per {@link ForecastSource}. */
    private static long[] countSources(StepBatch b, long[] sources) {
        for (ForecastSource s : ForecastSource.values()) {
            sources[s.ordinal()] += b.sourceCount(s);
        }
        return sources;
    }

    private final ModelVersions versions;
    private final boolean updates;
    private final String modelId;
    private final String backendName;
    private final boolean intervals;
    private final boolean scoring;

    /** @param updates whether model updates are on; off, every row steps with the starting model */
    public BundleFlush(ModelVersions versions, boolean updates, String modelId, String backendName) {
        this.versions = versions;
        this.updates = updates;
        this.modelId = modelId;
        this.backendName = backendName;
        this.intervals = versions.starting().settings().intervalCoverage() > 0;
        this.scoring = versions.starting().settings().anomalyScoring();
    }

    /** Steps every record of {@code bundle}. */
    public Stats flush(ObservationBundle bundle, KeyStateStore states, Output out) {
        return updates ? flushVersioned(bundle, states, out) : flushOne(bundle, states, out);
    }

    private Stats flushOne(ObservationBundle bundle, KeyStateStore states, Output out) {
        KeyStepper stepper = versions.starting();
        String label = versions.label(KeyState.STARTING_MODEL);
        StepBatch b = stepper.batch();
        b.clear();
        int n = bundle.size();
        for (int i = 0; i < n; i++) {
            Observation o = bundle.record(i);
            b.add(o.getKey(), o.getEventTime().toEpochMilli(), o.getValues());
        }
        stepper.step(b, states);
        for (int r = 0; r < n; r++) {
            if (b.rejected(r)) {
                out.rejected(r, b.rejection(r), b.rejectionMessage(r));
            } else {
                out.forecast(r, forecast(stepper, b, r, bundle.record(r), label));
            }
        }
        return new Stats(b.steppedRows(), b.kernelNanos(), countSources(b, new long[ForecastSource.values().length]));
    }

    private Stats flushVersioned(ObservationBundle bundle, KeyStateStore states, Output out) {
        int n = bundle.size();
        Map<String, KeyState> byKey = new HashMap<>();
        Map<String, Long> running = new HashMap<>();
        long[] rowVersion = new long[n];
        TreeSet<Long> used = new TreeSet<>();
        for (int r = 0; r < n; r++) {
            Observation o = bundle.record(r);
            String key = o.getKey();
            Long current = running.get(key);
            if (current == null) {
                KeyState s = states.read(key);
                byKey.put(key, s);
                current = s == null ? KeyState.STARTING_MODEL : versions.known(s.modelVersion());
            }
            long v = Math.max(current, versions.applicable(o.getEventTime().toEpochMilli()));
            running.put(key, v);
            rowVersion[r] = v;
            used.add(v);
        }
        Forecast[] forecasts = new Forecast[n];
        DeadLetterReason[] reasons = new DeadLetterReason[n];
        String[] messages = new String[n];
        Set<String> changed = new LinkedHashSet<>();
        int stepped = 0;
        long nanos = 0;
        long[] sources = new long[ForecastSource.values().length];
        int[] rows = new int[n];
        for (long v : used) {
            KeyStepper stepper = versions.stepper(v);
            String label = versions.label(v);
            StepBatch b = stepper.batch();
            b.clear();
            int m = 0;
            for (int r = 0; r < n; r++) {
                if (rowVersion[r] == v) {
                    Observation o = bundle.record(r);
                    b.add(o.getKey(), o.getEventTime().toEpochMilli(), o.getValues());
                    rows[m++] = r;
                }
            }
            stepper.step(b, new OnVersion(v, stepper, byKey, changed, out, states));
            for (int j = 0; j < m; j++) {
                int r = rows[j];
                if (b.rejected(j)) {
                    reasons[r] = b.rejection(j);
                    messages[r] = b.rejectionMessage(j);
                } else {
                    forecasts[r] = forecast(stepper, b, j, bundle.record(r), label);
                }
            }
            stepped += b.steppedRows();
            nanos += b.kernelNanos();
            countSources(b, sources);
        }
        for (String key : changed) {
            states.write(key, byKey.get(key));
        }
        for (int r = 0; r < n; r++) {
            if (reasons[r] != null) {
                out.rejected(r, reasons[r], messages[r]);
            } else {
                out.forecast(r, forecasts[r]);
            }
        }
        return new Stats(stepped, nanos, sources);
    }

    /**
     * The keys' states as the rows of model version {@code v} see them, held for the whole flush: a key on an
     * older version moves to {@code v} ({@link KeyStepper#adopt}) when it is first read; what is written back is
     * marked to be stored once the flush ends.
     */
    private final class OnVersion implements KeyStateStore {
        private final long v;
        private final KeyStepper stepper;
        private final Map<String, KeyState> byKey;
        private final Set<String> changed;
        private final Output out;
        private final KeyStateStore outer;

        OnVersion(long v, KeyStepper stepper, Map<String, KeyState> byKey, Set<String> changed, Output out,
                KeyStateStore outer) {
            this.outer = outer;
            this.v = v;
            this.stepper = stepper;
            this.byKey = byKey;
            this.changed = changed;
            this.out = out;
        }

        @Override
        public KeyState read(String key) {
            KeyState s = byKey.get(key);
            if (s != null && versions.known(s.modelVersion()) != v) {
                KeyStepper from = versions.stepper(versions.known(s.modelVersion()));
                s = stepper.adopt(s, from, versions.model(v).keepState, v);
                out.switched(key, v, stepper.lastAdopted());
                byKey.put(key, s);
                changed.add(key);
            }
            return s;
        }

        @Override
        public void readHistory(String key, KeyState s) {
            outer.readHistory(key, s);
        }

        @Override
        public void unstepped(String key, KeyState s) {
            outer.unstepped(key, s);
        }

        @Override
        public void write(String key, KeyState s) {
            if (s.modelVersion() != v) {
                s.onModelVersion(v); // a new key, starting on this version
            }
            byKey.put(key, s);
            changed.add(key);
        }
    }

    private Forecast forecast(KeyStepper stepper, StepBatch b, int r, Observation o, String version) {
        int outputs = stepper.model().outputs();
        List<Float> values = new ArrayList<>(outputs);
        List<Float> lower = intervals ? new ArrayList<>(outputs) : null;
        List<Float> upper = intervals ? new ArrayList<>(outputs) : null;
        for (int i = 0; i < outputs; i++) {
            values.add(b.forecast(r, i));
            if (intervals) {
                lower.add(b.lower(r, i));
                upper.add(b.upper(r, i));
            }
        }
        // The all-args constructor: the builder resolves schema defaults on every record.
        return new Forecast(o.getKey(), o.getEventTime(), modelId, version, stepper.model().steps(), values,
                backendName, scoring ? b.score(r) : null, lower, upper,
                scoring && !Float.isNaN(b.rawScore(r)) ? b.rawScore(r) : null,
                scoring ? b.flagged(r) : null, scoring ? b.anomalous(r) : null,
                scoring && b.anomalous(r) && b.cause(r) >= 0 ? stepper.model().targets().get(b.cause(r)) : null,
                signalScores(stepper, b, r));
    }

    /** Each target's signal score of row {@code r}, or null when scoring is off or the key has too few rows. */
    private List<Float> signalScores(KeyStepper stepper, StepBatch b, int r) {
        if (!scoring || b.cause(r) < 0) {
            return null;
        }
        int t = stepper.model().targetCount();
        List<Float> out = new ArrayList<>(t);
        for (int c = 0; c < t; c++) {
            out.add(b.signalScore(r, c));
        }
        return out;
    }
}
