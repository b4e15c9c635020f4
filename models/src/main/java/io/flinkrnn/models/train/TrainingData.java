package io.flinkrnn.models.train;

import io.flinkrnn.stepper.TimeFeatures;
import java.time.Duration;
import java.util.List;

/**
 * The history a model is trained on: one or more series (one per key), each with the same feature and
 * target columns, as raw float values in row order.
 */
public final class TrainingData {
    /** One key's rows: features [rows][F] and targets [rows][T], row-major, and each row's event time. */
    public static final class Series {
        public final String key;
        public final int rows;
        final float[] features;
        final float[] targets;
        /** Epoch millis per row; rows an hour apart from 0 when the data has no times. */
        final long[] times;

        /** Epoch millis of each row (a copy). */
        public long[] times() {
            return times.clone();
        }

        public Series(String key, float[] features, float[] targets, int featureCount, int targetCount) {
            this(key, features, targets, null, featureCount, targetCount);
        }

        public Series(String key, float[] features, float[] targets, long[] times, int featureCount,
                int targetCount) {
            if (features.length % featureCount != 0 || targets.length % targetCount != 0
                    || features.length / featureCount != targets.length / targetCount) {
                throw new IllegalArgumentException("series " + key + ": " + features.length + " feature values and "
                        + targets.length + " target values do not make whole rows of " + featureCount + " and "
                        + targetCount);
            }
            this.key = key;
            this.rows = features.length / featureCount;
            this.features = features;
            this.targets = targets;
            if (times != null && times.length != rows) {
                throw new IllegalArgumentException("series " + key + ": " + times.length + " times for " + rows + " rows");
            }
            long[] t = times;
            if (t == null) {
                t = new long[rows];
                for (int i = 0; i < rows; i++) {
                    t[i] = i * 3_600_000L;
                }
            }
            this.times = t;
        }
    }

    public final List<String> featureNames;
    public final List<String> targetNames;
    public final List<Series> series;

    public TrainingData(List<String> featureNames, List<String> targetNames, List<Series> series) {
        if (featureNames.isEmpty() || targetNames.isEmpty()) {
            throw new IllegalArgumentException("at least one feature and one target are needed");
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no series to train on");
        }
        this.featureNames = List.copyOf(featureNames);
        this.targetNames = List.copyOf(targetNames);
        this.series = List.copyOf(series);
    }

    public int featureCount() {
        return featureNames.size();
    }

    public int targetCount() {
        return targetNames.size();
    }

    public long rowCount() {
        return series.stream().mapToLong(s -> s.rows).sum();
    }

    /** The sampling interval: the median gap between consecutive rows of the first series. */
    public Duration samplingInterval() {
        return TimeFeatures.samplingInterval(series.get(0).times);
    }
}
