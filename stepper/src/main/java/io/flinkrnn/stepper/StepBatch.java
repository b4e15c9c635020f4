package io.flinkrnn.stepper;

import io.flinkrnn.schemas.DeadLetterReason;
import java.util.Arrays;
import java.util.List;

/**
 * One bundle of rows on its way through {@link KeyStepper#step(StepBatch, KeyStateStore)}: the rows (key, event
 * time, values) in arrival order, and per row the result: the forecasts, the anomaly score, or why the row was
 * not stepped. Allocated once per stepper and reused, so a flush allocates nothing per row but the caller's own
 * records. The grouping of rows by key and the keys' states are the stepper's business.
 *
 * <pre>{@code
 * StepBatch batch = stepper.batch();
 * batch.clear();
 * batch.add(key, eventTime, values);              // ... every row of the bundle, in arrival order
 * stepper.step(batch, states);                    // reads each key's state once, writes it back once
 * for (int r = 0; r < batch.size(); r++) { batch.rejected(r) ? deadLetter(...) : emit(batch.forecast(r, i)...); }
 * }</pre>
 */
public final class StepBatch {
    private final int features;
    private final int outputs;
    private final String[] keys;
    private final long[] times;
    private final float[] values;
    private final float[] forecasts;
    private final float[] halfWidths;
    /** Per row and output, the {@link ForecastSource} ordinal of its forecast. */
    private final byte[] sources;
    private final long[] sourceCounts = new long[ForecastSource.values().length];
    private final float[] rawScores;
    private final float[] scores;
    private final float[] surprises;
    private final boolean[] flags;
    private final int targets;
    private final float[] signalScores;
    private final float[] jointScores;
    private final int[] causes;
    private final boolean[] anomalous;
    private final DeadLetterReason[] rejections;
    private final String[] messages;
    private int size;
    private BundleWaves waves;
    private KeyState[] states = new KeyState[0];
    private boolean[] changed = new boolean[0];
    private int steppedRows;
    private long kernelNanos;

    StepBatch(int capacity, int features, int outputs, int targets) {
        this.features = features;
        this.targets = targets;
        signalScores = new float[capacity * targets];
        jointScores = new float[capacity];
        causes = new int[capacity];
        anomalous = new boolean[capacity];
        this.outputs = outputs;
        keys = new String[capacity];
        times = new long[capacity];
        values = new float[capacity * features];
        forecasts = new float[capacity * outputs];
        halfWidths = new float[capacity * outputs];
        sources = new byte[capacity * outputs];
        rawScores = new float[capacity];
        scores = new float[capacity];
        surprises = new float[capacity];
        flags = new boolean[capacity];
        rejections = new DeadLetterReason[capacity];
        messages = new String[capacity];
    }

    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(rejections, 0, size, null);
        Arrays.fill(messages, 0, size, null);
        Arrays.fill(states, null);
        size = 0;
        waves = null;
        steppedRows = 0;
        kernelNanos = 0;
        Arrays.fill(sourceCounts, 0);
    }

    public int capacity() {
        return keys.length;
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == keys.length;
    }

    /** Appends a row: exactly the model's features, already checked (finite). */
    public void add(String key, long eventTime, List<Float> v) {
        int at = begin(key, eventTime, v.size());
        for (int j = 0; j < features; j++) {
            values[at + j] = v.get(j);
        }
    }

    /** Appends a row from {@code v[from .. from + features)}. */
    public void add(String key, long eventTime, float[] v, int from) {
        int at = begin(key, eventTime, features);
        System.arraycopy(v, from, values, at, features);
    }

    private int begin(String key, long eventTime, int count) {
        if (size == keys.length) {
            throw new IllegalStateException("the batch is full (" + size + " rows): step it first");
        }
        if (count != features) {
            throw new IllegalArgumentException("a row has " + count + " values; the model takes " + features);
        }
        keys[size] = key;
        times[size] = eventTime;
        return size++ * features;
    }

    /** Groups the rows by key; returns the number of distinct keys, whose states the caller then sets. */
    int plan() {
        waves = BundleWaves.of(size, i -> keys[i]);
        int k = waves.keyCount();
        if (states.length < k) {
            states = new KeyState[Math.max(k, states.length * 2)];
            changed = new boolean[states.length];
        }
        Arrays.fill(changed, 0, k, false);
        return k;
    }

    int keyCount() {
        return waves.keyCount();
    }

    /** The {@code k}-th distinct key. */
    String key(int k) {
        return keys[waves.firstRow(k)];
    }

    /** Sets the state of distinct key {@code k} as read from storage; null: a new key. */
    void state(int k, KeyState s) {
        states[k] = s;
    }

    /** The state of distinct key {@code k}; after the step its new state. */
    KeyState state(int k) {
        return states[k];
    }

    /** Whether distinct key {@code k} took at least one step (so its state must be written back). */
    boolean changed(int k) {
        return changed[k];
    }

    /** The distinct key (0 .. keyCount-1) of row {@code r}. */
    int keyOf(int r) {
        return waves.keyOf(r);
    }

    public String rowKey(int r) {
        return keys[r];
    }

    public long eventTime(int r) {
        return times[r];
    }

    /** Whether row {@code r} was turned away instead of stepped. */
    public boolean rejected(int r) {
        return rejections[r] != null;
    }

    public DeadLetterReason rejection(int r) {
        return rejections[r];
    }

    public String rejectionMessage(int r) {
        return messages[r];
    }

    /** Forecast output {@code i} (step-major: step i / T + 1 of target i % T) of stepped row {@code r}. */
    public float forecast(int r, int i) {
        return forecasts[r * outputs + i];
    }

    /** Which of the guard's candidates made forecast output {@code i} of stepped row {@code r}. */
    public ForecastSource source(int r, int i) {
        return ForecastSource.of(sources[r * outputs + i]);
    }

    /** How many forecasts (outputs of stepped rows) of the last step candidate {@code s} made. */
    public long sourceCount(ForecastSource s) {
        return sourceCounts[s.ordinal()];
    }

    /** The interval half-width of output {@code i} of row {@code r} (forecast +- it); NaN without intervals. */
    public float halfWidth(int r, int i) {
        return halfWidths[r * outputs + i];
    }

    /** The lower interval bound of output {@code i} of row {@code r}: forecast - half-width. */
    public float lower(int r, int i) {
        return forecast(r, i) - halfWidth(r, i);
    }

    /** The upper interval bound of output {@code i} of row {@code r}: forecast + half-width. */
    public float upper(int r, int i) {
        return forecast(r, i) + halfWidth(r, i);
    }

    /** Row {@code r}'s anomaly score in [0, 1] ({@code AnomalyLikelihood}); NaN when scoring is off. */
    public float score(int r) {
        return scores[r];
    }

    /** Whether row {@code r} is flagged ({@code AnomalyFlags}); false when scoring is off. */
    public boolean flagged(int r) {
        return flags[r];
    }

    /**
     * Row {@code r}'s surprise ({@code SurpriseTest}): the larger of its one-step error and its last rows' error
     * against earlier forecasts, each over its usual size; NaN when scoring is off or the key is new.
     */
    public float surprise(int r) {
        return surprises[r];
    }

    /** Row {@code r}'s raw surprise: its error over the key's usual error; NaN when off or too little history. */
    public float rawScore(int r) {
        return rawScores[r];
    }

    /**
     * Row {@code r}'s score of target {@code c} ({@code SignalScores}): its distance from the key's normal in the
     * key's standard deviations; NaN when scoring is off or the key has learned too few rows.
     */
    public float signalScore(int r, int c) {
        return signalScores[r * targets + c];
    }

    /** Row {@code r}'s joint score: its largest target score; NaN when there is none. */
    public float jointScore(int r) {
        return jointScores[r];
    }

    /** Whether the key is anomalous at row {@code r} ({@code AnomalyHold}); false when scoring is off. */
    public boolean anomalous(int r) {
        return anomalous[r];
    }

    /** The index of the target that gave row {@code r}'s joint score (the anomaly's cause), or -1 for none. */
    public int cause(int r) {
        return causes[r];
    }

    /** Rows stepped by the last step. */
    public int steppedRows() {
        return steppedRows;
    }

    /** Time spent in the backend's kernel calls by the last step. */
    public long kernelNanos() {
        return kernelNanos;
    }

    // ---- for KeyStepper ----

    BundleWaves waves() {
        return waves;
    }

    float[] values() {
        return values;
    }

    float[] forecasts() {
        return forecasts;
    }

    float[] halfWidths() {
        return halfWidths;
    }

    void source(int r, int i, ForecastSource s) {
        sources[r * outputs + i] = (byte) s.ordinal();
        sourceCounts[s.ordinal()]++;
    }

    void reject(int r, DeadLetterReason reason, String message) {
        rejections[r] = reason;
        messages[r] = message;
    }

    void stepped(int k, int r, float raw, float score, float surprise, boolean flagged) {
        changed[k] = true;
        rawScores[r] = raw;
        scores[r] = score;
        surprises[r] = surprise;
        flags[r] = flagged;
        steppedRows++;
    }

    /** Row {@code r}'s per-target scores are written here, from {@link #signalAt}. */
    float[] signalScores() {
        return signalScores;
    }

    int signalAt(int r) {
        return r * targets;
    }

    void signals(int r, int cause, boolean isAnomalous) {
        causes[r] = cause;
        jointScores[r] = cause < 0 ? Float.NaN : signalScores[r * targets + cause];
        anomalous[r] = isAnomalous;
    }

    void kernel(long nanos) {
        kernelNanos += nanos;
    }
}
