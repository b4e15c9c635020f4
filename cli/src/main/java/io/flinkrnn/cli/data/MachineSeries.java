package io.flinkrnn.cli.data;

import java.util.List;

/**
 * One machine's series for the demo: several sensors read at the same event times (one observation per row, every
 * sensor a value in it), and the rows of a labelled fault. Kept apart from {@link DemoSeries}, whose keys carry one
 * value each, because the machine runs its own model (every sensor a feature and a target) in its own job.
 */
public final class MachineSeries {
    public final String name;
    public final List<String> sensors;
    public final long[] times;
    /** Sensor values per row, row-major: row r's sensor s at {@code r * sensors.size() + s}. */
    public final float[] values;
    /** Whether each row lies in the labelled fault. */
    public final boolean[] fault;
    /** The sensor the fault drives most: the cause the job should name. */
    public final String faultSensor;
    /** What the fault is, for the summary and the report. */
    public final String faultDescription;

    public MachineSeries(String name, List<String> sensors, long[] times, float[] values, boolean[] fault,
            String faultSensor, String faultDescription) {
        if (values.length != times.length * sensors.size() || fault.length != times.length) {
            throw new IllegalArgumentException(name + ": " + times.length + " times, " + values.length + " values and "
                    + fault.length + " fault labels do not make rows of " + sensors.size() + " sensors");
        }
        if (!sensors.contains(faultSensor)) {
            throw new IllegalArgumentException(name + ": the fault's sensor " + faultSensor + " is not among "
                    + sensors);
        }
        this.name = name;
        this.sensors = List.copyOf(sensors);
        this.times = times;
        this.values = values;
        this.fault = fault;
        this.faultSensor = faultSensor;
        this.faultDescription = faultDescription;
    }

    public int rows() {
        return times.length;
    }

    /** Row r's value of sensor s. */
    public float value(int row, int sensor) {
        return values[row * sensors.size() + sensor];
    }

    /** Row r's values, one per sensor: an observation's values. */
    public List<Float> row(int row) {
        Float[] v = new Float[sensors.size()];
        for (int s = 0; s < v.length; s++) {
            v[s] = value(row, s);
        }
        return List.of(v);
    }

    /** The first fault row, or -1 without one. */
    public int faultStart() {
        for (int r = 0; r < fault.length; r++) {
            if (fault[r]) {
                return r;
            }
        }
        return -1;
    }

    /** The fault's rows. */
    public int faultRows() {
        int n = 0;
        for (boolean f : fault) {
            n += f ? 1 : 0;
        }
        return n;
    }
}
