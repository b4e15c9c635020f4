package io.flinkrnn.cli.data;

import java.util.List;

/**
 * The series a demo streams: per key, event times (epoch millis, increasing) and one value per event, plus
 * the rows where an anomaly was injected (generated data only).
 */
public final class DemoSeries {
    /** One key's series. */
    public static final class Key {
        public final String name;
        public final long[] times;
        public final float[] values;
        public final boolean[] anomalies;

        public Key(String name, long[] times, float[] values, boolean[] anomalies) {
            if (times.length != values.length || anomalies.length != values.length) {
                throw new IllegalArgumentException(name + ": times, values and anomaly flags differ in length");
            }
            this.name = name;
            this.times = times;
            this.values = values;
            this.anomalies = anomalies;
        }

        public int rows() {
            return values.length;
        }
    }

    public final String source;
    public final String valueName;
    public final List<Key> keys;

    public DemoSeries(String source, String valueName, List<Key> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(source + ": no series to stream");
        }
        this.source = source;
        this.valueName = valueName;
        this.keys = List.copyOf(keys);
    }

    public long events() {
        return keys.stream().mapToLong(Key::rows).sum();
    }
}
