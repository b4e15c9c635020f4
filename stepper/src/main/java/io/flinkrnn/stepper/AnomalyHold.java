package io.flinkrnn.stepper;

/**
 * The per-row decision {@code anomalous}, with hysteresis: a fault that lasts minutes is one anomalous stretch, not
 * a flag at its onset ({@link AnomalyFlags}, NAB's habit) nor a flicker wherever a noisy score dips under the
 * threshold. A key turns anomalous on a row whose joint {@link SignalScores signal score} reaches the entry
 * threshold and turns normal again only after that many consecutive rows below it ({@link AnomalyRules}); while it
 * is anomalous its normal is learned only slowly, so a held level stays far from normal.
 *
 * <p>State ({@link KeyLayout#hold}): whether the key is anomalous (0 or 1) and its rows below the threshold since.
 */
final class AnomalyHold {
    private final KeyLayout layout;
    private final float enter;
    private final int clearRows;

    AnomalyHold(KeyLayout layout, AnomalyRules rules) {
        this.layout = layout;
        this.enter = (float) rules.enter();
        this.clearRows = rules.clearRows();
    }

    static int size(boolean anomalyScoring) {
        return anomalyScoring ? 2 : 0;
    }

    /** Whether the key is anomalous at a row with this joint score (NaN: none yet); advances the hold. */
    boolean anomalous(float[] st, float joint) {
        int at = layout.hold;
        if (joint >= enter) {
            st[at] = 1f;
            st[at + 1] = 0f;
        } else if (st[at] > 0f) {
            st[at + 1] += 1f;
            if (st[at + 1] >= clearRows) {
                st[at] = 0f;
                st[at + 1] = 0f;
            }
        }
        return st[at] > 0f;
    }
}
