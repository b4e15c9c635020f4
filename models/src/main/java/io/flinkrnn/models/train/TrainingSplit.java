package io.flinkrnn.models.train;

import java.util.Locale;

/** How each series is cut into train / validation / test rows, by counts or by fractions. */
public final class TrainingSplit {
    final int trainRows;
    final int valRows;
    final int testRows;
    final double trainFraction;
    final double valFraction;

    private TrainingSplit(int trainRows, int valRows, int testRows, double trainFraction, double valFraction) {
        this.trainRows = trainRows;
        this.valRows = valRows;
        this.testRows = testRows;
        this.trainFraction = trainFraction;
        this.valFraction = valFraction;
    }

    /** First {@code train} rows, then {@code val}, then {@code test} (-1: every remaining row). */
    public static TrainingSplit rows(int train, int val, int test) {
        return new TrainingSplit(train, val, test, 0, 0);
    }

    public static TrainingSplit fractions(double train, double val) {
        if (!(train > 0) || !(val >= 0) || train + val > 1) {
            throw new IllegalArgumentException("train and validation fractions must be > 0 and >= 0 with a sum"
                    + " of at most 1, got " + train + " and " + val);
        }
        return new TrainingSplit(-1, -1, -1, train, val);
    }

    /** {trainEnd, valEnd, testEnd} for a series of {@code n} rows. */
    public int[] bounds(int n) {
        int train;
        int val;
        int test;
        if (trainRows >= 0) {
            train = Math.min(n, trainRows);
            val = Math.min(n - train, valRows);
            test = testRows < 0 ? n - train - val : Math.min(n - train - val, testRows);
        } else {
            train = (int) Math.floor(n * trainFraction);
            val = (int) Math.floor(n * valFraction);
            test = n - train - val;
        }
        return new int[] {train, train + val, train + val + test};
    }

    @Override
    public String toString() {
        return trainRows >= 0 ? "rows " + trainRows + "/" + valRows + "/" + (testRows < 0 ? "rest" : testRows)
                : String.format(Locale.ROOT, "fractions %.3f/%.3f/rest", trainFraction, valFraction);
    }
}
