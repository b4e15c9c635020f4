package io.flinkrnn.stepper;

import java.util.List;

/**
 * The rules of a key's history ({@link KeyState#history()}: the guard's linear model's older values) for one stepper,
 * in one place: when a batch loads it from a store that keeps it apart, when a part whose history is gone starts
 * fresh (counted, never read as zeros, at the same row however the rows are batched), and when a history nothing reads
 * any more is dropped. Why a class of its own: the stepper calls these at four points of a batch (before it, before
 * each row, on a key's move to another layout or model, after it), and the rules between them are one concept.
 */
final class KeyHistories {
    /** Gives a key's state read from a store the checks of {@link KeyStepper#resume}. */
    interface Resume {
        KeyState resume(String key, KeyState s);
    }

    /** Null for a model without the linear model, which reads no history. */
    private final LinearForecaster linear;
    private final KeyLayout layout;
    private final FreshParts freshParts;
    private final int size;
    /** Per key of the batch: its history was loaded in this batch (the store hears of it if the key did not step). */
    private final boolean[] attached;

    KeyHistories(ForecastModel model, LinearForecaster linear, KeyLayout layout, FreshParts freshParts,
            int capacity) {
        this.linear = linear;
        this.layout = layout;
        this.freshParts = freshParts;
        this.size = LinearPartLayout.historySize(model);
        this.attached = new boolean[capacity];
    }

    /** Before a batch: loads the history of each key whose rows may read or write it. */
    void prepare(StepBatch b, KeyStateStore states, Resume resume) {
        if (linear == null) {
            return;
        }
        for (int k = 0; k < b.waves().keyCount(); k++) {
            prepare(b, k, states, resume);
        }
    }

    /**
     * Loads key k's history when its rows in {@code b} may read or write it (or its state is not in this layout yet),
     * and gives it one of this model's length where it has none or another. A part whose values went into a history
     * that is gone (expired apart from the state, or of another length) starts fresh, counted ({@link #check}): it is
     * never read as zeros.
     */
    private void prepare(StepBatch b, int k, KeyStateStore states, Resume resume) {
        KeyState s = b.state(k);
        attached[k] = false;
        if (s != null && s.parts() == layout.parts && !linear.needsHistory(s.features(), b.waves().rowCount(k))) {
            return;
        }
        boolean existed = s != null;
        s = resume.resume(b.key(k), s);
        b.state(k, s);
        if (s.history() == null) { // one at hand is the current one: loaded earlier in this flush, or kept inside
            states.readHistory(b.key(k), s);
            attached[k] = existed;
        }
        float[] h = s.history();
        if (h == null || h.length != size) {
            s.historyMissing(new float[size]);
        }
    }

    /**
     * Before a row: starts the key's linear part afresh, counted, where its values cannot be read (see {@link
     * #prepare}; a history read from an older layout by {@link KeyLayout#fit} replaces the zeros, and is kept). A
     * missing history restarts the part at the row that would first read or write it, not at the batch's first row,
     * so the row it restarts at is the same however the key's rows are batched (one per call in SQL, many per bundle
     * in the operator); until then the key forecasts from its tail, which the history does not hold.
     */
    void check(KeyState s) {
        if (linear == null) {
            return;
        }
        float[] st = s.features();
        if (linear.resized(st) || s.historyMissing() && linear.flushed(st) && linear.needsHistory(st, 1)) {
            layout.restart(st, StatePart.LINEAR);
            freshParts.startedFresh(List.of(StatePart.LINEAR), FreshParts.HISTORY_GONE);
        }
        if (!s.historyMissing() || !linear.flushed(st)) {
            s.historyFound();
        }
    }

    /**
     * Whether fitting {@code s} to this layout drops a linear part this model lacks: then its history goes with it
     * ({@link KeyState#historyDropped()}). Ask before the fit.
     */
    boolean dropsWithFit(KeyState s) {
        return linear == null && s.parts() != layout.parts && s.parts() != null
                && s.parts().versionOf(StatePart.LINEAR.id()) >= 0;
    }

    /**
     * A key moved to this stepper's model: a model without the linear model has its history dropped whatever the
     * key's parts say (a state reset on an earlier update no longer shows that its store holds one).
     */
    void adopted(KeyState s) {
        if (linear == null) {
            s.dropHistory();
        }
    }

    /** After a batch: tells the store of key k when its history was loaded but none of its rows stepped. */
    void unstepped(StepBatch b, int k, KeyStateStore states) {
        if (linear != null && attached[k]) {
            states.unstepped(b.key(k), b.state(k));
        }
    }
}
