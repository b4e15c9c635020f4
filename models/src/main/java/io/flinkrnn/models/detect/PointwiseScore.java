package io.flinkrnn.models.detect;

/**
 * Outlier detection scored row by row, as SKAB's board does: every scored row's decision (anomalous or not) against
 * its label, summed over runs; F1 of the anomalous class, the false-alarm rate (false alarms over normal rows) and
 * the missed-alarm rate (missed over anomalous rows). Because more than half of a SKAB run's scored rows lie inside
 * its fault, F1 alone rewards flagging everything; FAR and MAR are reported with it.
 */
public record PointwiseScore(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {
    public static final PointwiseScore NONE = new PointwiseScore(0, 0, 0, 0);

    /** Rows {@code [from, n)} of one run: decisions against labels (a label above 0.5 is anomalous). */
    public static PointwiseScore of(boolean[] decided, float[] labels, int from) {
        if (decided.length != labels.length) {
            throw new IllegalArgumentException(decided.length + " decisions for " + labels.length + " labels");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int r = Math.max(0, from); r < decided.length; r++) {
            boolean anomaly = labels[r] > 0.5f;
            if (decided[r]) {
                tp += anomaly ? 1 : 0;
                fp += anomaly ? 0 : 1;
            } else {
                fn += anomaly ? 1 : 0;
                tn += anomaly ? 0 : 1;
            }
        }
        return new PointwiseScore(tp, fp, fn, tn);
    }

    /** This and {@code o} together (the counts added, as the board sums over runs). */
    public PointwiseScore plus(PointwiseScore o) {
        return new PointwiseScore(truePositives + o.truePositives, falsePositives + o.falsePositives,
                falseNegatives + o.falseNegatives, trueNegatives + o.trueNegatives);
    }

    /** F1 of the anomalous class; 0 when nothing was found. */
    public double f1() {
        long d = 2 * truePositives + falsePositives + falseNegatives;
        return d == 0 ? 0 : 2.0 * truePositives / d;
    }

    /** False alarms over normal rows, in %; NaN without normal rows. */
    public double falseAlarmRate() {
        long normal = falsePositives + trueNegatives;
        return normal == 0 ? Double.NaN : 100.0 * falsePositives / normal;
    }

    /** Missed anomalous rows over anomalous rows, in %; NaN without anomalous rows. */
    public double missedAlarmRate() {
        long anomalous = truePositives + falseNegatives;
        return anomalous == 0 ? Double.NaN : 100.0 * falseNegatives / anomalous;
    }
}
