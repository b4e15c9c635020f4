package io.flinkrnn.stepper;

import io.flinkrnn.kernels.BackendInfo;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.DeadLetterReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where rows become forecasts: the Flink operator, {@code predict}, {@code evaluate}, {@code
 * detect}, the trainer's evaluation and the cluster checks all step through this class, so they agree bit
 * for bit and a modelling change lands once.
 *
 * <p>{@link #step(StepBatch, KeyStateStore)} takes a {@link StepBatch} of rows and a store of the keys'
 * states, reads each distinct key's state once, brings it into this stepper's layout ({@link StateParts}) and,
 * wave by wave (wave w = the w-th row of every key that has one, so a key's rows keep their order), checks the
 * event-time rules that need the key's state, learns from the row's actual values (the guard, the anomaly
 * scale), derives the network inputs ({@link RowTransform}), steps every admitted row of the wave in one backend
 * call, turns the outputs into forecasts, and writes each key's state back once. Because a key's step gives the
 * same bits however it is batched, a key's forecasts depend only on its own rows.
 */
public final class KeyStepper implements AutoCloseable {
    private final ForecastModel model;
    private final StepperSettings settings;
    private final StepBackend backend;
    private final KeyLayout layout;
    private final RowTransform transform;
    private final ForecastGuard guard;
    private final KeyHistories histories;
    private final ForecastIntervals intervals;
    private final HeadAdaptation adaptation;
    private final int hOffset;
    private final AnomalyScorer scorer;
    private final AnomalyLikelihood likelihood;
    private final SurpriseTest surprise;
    private final AnomalyFlags flags;
    private final SignalScores signals;
    private final AnomalyHold hold;
    private final int features;
    private final int targets;
    private final int outputs;
    private final int netInputs;
    private final int stateSize;
    private final float[] in;
    private final float[] states;
    private final float[] out;
    private final int[] waveRows;
    private final int[] waveKeys;
    private final StepBatch batch;
    private Adopted lastAdopted;
    private final FreshParts freshParts;
    private final List<StatePart> fresh = new ArrayList<>();

    /**
     * @param backend opened for {@code model.network()}; closed with this stepper
     * @param capacity the most rows one batch holds
     */
    public KeyStepper(ForecastModel model, StepperSettings settings, StepBackend backend, int capacity) {
        settings.targetsProblem(model).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        this.model = model;
        this.settings = settings;
        this.backend = backend;
        boolean withIntervals = settings.intervalCoverage() > 0;
        boolean adapting = settings.adaptation() == Adaptation.HEAD;
        this.layout = new KeyLayout(model, settings.anomalyScoring(), withIntervals, adapting);
        this.adaptation = adapting ? new HeadAdaptation(model, layout) : null;
        this.hOffset = model.network().hOffset(model.network().layerCount() - 1);
        this.transform = new RowTransform(model, layout);
        this.guard = model.guard() ? new ForecastGuard(model, layout) : null;
        this.intervals = withIntervals ? new ForecastIntervals(model, layout, settings.intervalCoverage()) : null;
        this.scorer = settings.anomalyScoring() ? new AnomalyScorer(model, layout) : null;
        this.likelihood = settings.anomalyScoring() ? new AnomalyLikelihood(model, layout) : null;
        this.surprise = settings.anomalyScoring() ? new SurpriseTest(model, layout) : null;
        this.flags = settings.anomalyScoring() ? new AnomalyFlags(layout, settings) : null;
        this.signals = settings.anomalyScoring() ? new SignalScores(model, layout) : null;
        this.hold = settings.anomalyScoring() ? new AnomalyHold(layout, settings.anomalyRules()) : null;
        RnnModel net = model.network();
        this.features = model.featureCount();
        this.targets = model.targetCount();
        this.outputs = model.outputs();
        this.netInputs = net.inputSize();
        this.stateSize = net.stateSize();
        this.in = new float[capacity * netInputs];
        this.states = new float[capacity * stateSize];
        this.out = new float[capacity * outputs];
        this.waveRows = new int[capacity];
        this.waveKeys = new int[capacity];
        this.batch = new StepBatch(capacity, features, outputs, targets);
        this.freshParts = new FreshParts(model.describe());
        this.histories = new KeyHistories(model, guard != null ? guard.linear() : null, layout, freshParts, capacity);
    }

    /** The parts of keys' state that started fresh under this stepper, counted per part. */
    public FreshParts freshParts() {
        return freshParts;
    }

    /** The parts, sizes and meaning of the per-key features this stepper keeps. */
    public StateParts stateParts() {
        return layout.parts;
    }

    public ForecastModel model() {
        return model;
    }

    public BackendInfo backendInfo() {
        return backend.info();
    }

    /** This stepper's batch, to fill and pass to {@link #step}. */
    public StepBatch batch() {
        return batch;
    }

    public StepperSettings settings() {
        return settings;
    }

    /** Floats of per-key features this stepper keeps (besides the recurrent state). */
    public int featureFloats() {
        return layout.size;
    }

    /**
     * Checks a state read from storage against this model: a key saved by a model of another shape cannot
     * be resumed. Returns a fresh state for null.
     */
    public KeyState resume(String key, KeyState s) {
        if (s == null) {
            return KeyState.fresh(stateSize);
        }
        if (s.recurrent().length != stateSize) {
            throw new IllegalStateException("key '" + key + "' has a saved state of " + s.recurrent().length
                    + " floats but the model (" + model.network().describe() + ") needs " + stateSize
                    + ": a savepoint of another model shape cannot be resumed");
        }
        return s;
    }

    /** What became of a key's state when it moved to this stepper's model ({@link #adopt}). */
    public enum Adopted {
        /** Recurrent state kept, and every part of the per-key features the two layouts share. */
        KEPT,
        /** Recurrent state kept; the per-key features start afresh (the model's names or scaling differ). */
        FEATURES_RESET,
        /** Zero recurrent state and fresh features: the networks differ, or a reset was asked for. */
        RESET
    }

    /**
     * Carries a key's state from {@code previous}'s model over to this one, as a model update asks: with {@code
     * keep}, the recurrent state survives where the two networks have the same layout (cell, layers, sizes), and
     * the per-key features by the one rule of {@link StateParts#carry}: every part with the same id, version and
     * size is kept bit for bit, new parts start fresh (reported like a restore's), dropped parts go; all start
     * fresh where the models' names or scaling mean something else. The key's step count and last event time
     * always stay (the time-order rules are the stream's, not the model's). A model without the linear model has
     * the key's history deleted whatever the key's parts say (a state reset on an earlier update no longer shows
     * that its store holds one). Changes {@code s} or returns a new state.
     */
    public KeyState adopt(KeyState s, KeyStepper previous, boolean keep, long version) {
        RnnModel a = previous.model.network();
        RnnModel b = model.network();
        boolean sameNetwork = a.cell() == b.cell() && a.gruResetMode() == b.gruResetMode()
                && a.layerCount() == b.layerCount() && a.hiddenSize() == b.hiddenSize()
                && a.inputSize() == b.inputSize() && s.recurrent().length == stateSize;
        if (!keep || !sameNetwork) {
            lastAdopted = Adopted.RESET;
            KeyState reset = new KeyState(new float[stateSize], s.steps(), s.lastEventTime(), null, version);
            histories.adopted(reset);
            return reset;
        }
        previous.fit(s);
        boolean sameMeaning = previous.layout.parts.meaning() == layout.parts.meaning();
        fit(s);
        histories.adopted(s);
        s.onModelVersion(version);
        lastAdopted = sameMeaning ? Adopted.KEPT : Adopted.FEATURES_RESET;
        return s;
    }

    /** What the last {@link #adopt} did. */
    public Adopted lastAdopted() {
        return lastAdopted;
    }

    /**
     * Gives key {@code s} a vector of this layout, reporting the parts that start fresh ({@link FreshParts}); a key
     * whose linear part this model lacks has its history dropped with it ({@link KeyState#historyDropped()}).
     */
    private void fit(KeyState s) {
        boolean dropsLinear = histories.dropsWithFit(s);
        layout.fit(s, fresh);
        if (dropsLinear) {
            s.dropHistory();
        }
        if (!fresh.isEmpty()) {
            freshParts.startedFresh(fresh);
            fresh.clear();
        }
    }

    /**
     * The stepping call: steps every row of {@code b} (this stepper's batch, filled with {@link StepBatch#add}),
     * reading each distinct key's state from {@code states} once before and writing back once after every key
     * that stepped; then {@code b} holds each row's forecasts, scores or rejection, in arrival order.
     */
    public void step(StepBatch b, KeyStateStore states) {
        int keys = b.plan();
        for (int k = 0; k < keys; k++) {
            b.state(k, states.read(b.key(k)));
        }
        histories.prepare(b, states, this::resume);
        step(b);
        for (int k = 0; k < keys; k++) {
            if (b.changed(k)) {
                states.write(b.key(k), b.state(k));
            } else {
                histories.unstepped(b, k, states);
            }
        }
    }

    /** Steps every row of {@code b} (planned, states set), wave by wave. */
    private void step(StepBatch b) {
        BundleWaves waves = b.waves();
        int keys = waves.keyCount();
        for (int k = 0; k < keys; k++) {
            b.state(k, resume(b.key(k), b.state(k)));
        }
        float[] values = b.values();
        for (int w = 0; w < waves.waveCount(); w++) {
            int n = 0;
            for (int k = 0; k < keys; k++) {
                int r = waves.row(k, w);
                if (r < 0 || !admit(b, k, r)) {
                    continue;
                }
                KeyState s = b.state(k);
                fit(s);
                float[] st = s.features();
                int xAt = r * features;
                histories.check(s);
                if (guard != null && guard.learn(st, s.history(), values, xAt)) {
                    s.historyWritten();
                }
                if (intervals != null) {
                    intervals.learn(st, values, xAt);
                }
                if (adaptation != null) {
                    adaptation.learn(st, values, xAt);
                }
                float raw = scorer != null ? scorer.scoreAndLearn(st, values, xAt) : Float.NaN;
                boolean extreme = likelihood != null && likelihood.newExtreme(st, raw, values, xAt);
                float score = likelihood != null ? likelihood.score(st, raw, values, xAt, b.eventTime(r), extreme)
                        : Float.NaN;
                float sudden = surprise != null ? surprise.test(st, raw, values, xAt) : Float.NaN;
                transform.prepare(st, values, xAt, b.eventTime(r), in, n * netInputs);
                System.arraycopy(s.recurrent(), 0, states, n * stateSize, stateSize);
                b.stepped(k, r, raw, score, sudden, flags != null && flags.flag(st, score, extreme, sudden));
                if (signals != null) {
                    int cause = signals.score(st, values, xAt, b.signalScores(), b.signalAt(r));
                    boolean anomalous = hold.anomalous(st, cause < 0 ? Float.NaN
                            : b.signalScores()[b.signalAt(r) + cause]);
                    signals.learn(st, values, xAt, anomalous);
                    b.signals(r, cause, anomalous);
                } else {
                    b.signals(r, -1, false);
                }
                waveRows[n] = r;
                waveKeys[n] = k;
                n++;
            }
            if (n == 0) {
                continue;
            }
            long t0 = System.nanoTime();
            backend.step(n, in, states, out);
            b.kernel(System.nanoTime() - t0);
            for (int j = 0; j < n; j++) {
                finish(b, b.state(waveKeys[j]), waveRows[j], j);
            }
        }
    }

    private void finish(StepBatch b, KeyState s, int r, int j) {
        System.arraycopy(states, j * stateSize, s.recurrent(), 0, stateSize);
        s.stepped(b.eventTime(r));
        float[] st = s.features();
        float[] values = b.values();
        int xAt = r * features;
        float[] f = b.forecasts();
        float[] hw = b.halfWidths();
        int h = j * stateSize + hOffset;
        for (int i = 0; i < outputs; i++) {
            float y = out[j * outputs + i];
            float scale = transform.outputScale(st, i);
            if (adaptation != null) {
                y += adaptation.correction(st, i, states, h);
            }
            float v = y * scale + transform.outputCenter(st, values, xAt, i);
            if (adaptation != null) {
                adaptation.remember(st, i, states, h, v, scale);
            }
            if (guard != null) {
                v = guard.apply(st, i, values[xAt + model.targetInput(i % targets)], v);
            }
            f[r * outputs + i] = v;
            b.source(r, i, guard != null ? guard.source() : ForecastSource.NETWORK);
            hw[r * outputs + i] = intervals != null ? intervals.issue(st, i, v) : Float.NaN;
        }
        if (scorer != null) {
            for (int c = 0; c < targets; c++) {
                scorer.remember(st, c, f[r * outputs + c]);
            }
            surprise.remember(st, f, r * outputs);
        }
        layout.countRow(st);
    }

    /** The event-time rules that need the key's state; a row they turn away is marked rejected. */
    private boolean admit(StepBatch b, int k, int r) {
        long last = b.state(k).lastEventTime();
        long t = b.eventTime(r);
        if (last == KeyState.NO_EVENT_TIME) {
            return true;
        }
        if (t < last && settings.timeOrder() == TimeOrderPolicy.REJECT) {
            b.reject(r, DeadLetterReason.TIME_WENT_BACKWARDS, "event time " + Instant.ofEpochMilli(t)
                    + " is before the key's last step at " + Instant.ofEpochMilli(last));
            return false;
        }
        if (t == last && settings.duplicates() == DuplicatePolicy.REJECT) {
            b.reject(r, DeadLetterReason.DUPLICATE_EVENT_TIME, "the key already stepped at event time "
                    + Instant.ofEpochMilli(t));
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        backend.close();
    }
}
