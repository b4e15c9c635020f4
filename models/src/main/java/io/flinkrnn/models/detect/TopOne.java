package io.flinkrnn.models.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * The top-1 protocol of archives that label one anomaly per series: a score column is judged only by its single
 * highest value after the training rows, a hit when that row lies within a margin of a labelled anomaly. It asks
 * whether the score ranks the anomaly first, which no threshold can hide; NAB's threshold sweep cannot tell a score
 * that ranks the anomaly first from one that ties it with a false alarm. On a tie the first row of the maximum is
 * taken, since a consumer reading the score sees a tie and nothing to order it by; {@link #ties} counts the rows
 * that share the maximum, so that luck of position shows.
 *
 * @param row the row of the highest score after the training rows (the first on a tie), -1 when none is a number
 * @param score that score (NaN for none)
 * @param ties the rows after the training rows that have exactly that score (0 for none)
 * @param hit whether {@code row} lies within the margin of an anomaly
 */
public record TopOne(int row, double score, int ties, boolean hit) {
    /**
     * @param scores one per row; NaN (no score yet) is never the highest
     * @param from the first row after the training part
     * @param anomalies the labelled anomalies, each [first row, last row] inclusive
     * @param margin a hit lies in [first - margin, last + margin] of an anomaly
     */
    public static TopOne of(double[] scores, int from, List<int[]> anomalies, int margin) {
        if (margin < 0) {
            throw new IllegalArgumentException("the margin must be at least 0 rows, got " + margin);
        }
        int best = -1;
        int ties = 0;
        for (int r = Math.max(0, from); r < scores.length; r++) {
            double s = scores[r];
            if (Double.isNaN(s)) {
                continue;
            }
            if (best < 0 || s > scores[best]) {
                best = r;
                ties = 1;
            } else if (s == scores[best]) {
                ties++;
            }
        }
        if (best < 0) {
            return new TopOne(-1, Double.NaN, 0, false);
        }
        boolean hit = false;
        for (int[] a : anomalies) {
            hit |= best >= (long) a[0] - margin && best <= (long) a[1] + margin;
        }
        return new TopOne(best, scores[best], ties, hit);
    }

    /** The runs of labelled rows (a label above 0.5), each [first row, last row] inclusive. */
    public static List<int[]> runs(float[] labels) {
        List<int[]> out = new ArrayList<>();
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] > 0.5f && (r == 0 || !(labels[r - 1] > 0.5f))) {
                out.add(new int[] {r, r});
            }
            if (labels[r] > 0.5f) {
                out.get(out.size() - 1)[1] = r;
            }
        }
        return out;
    }
}
