package io.flinkrnn.cli.data;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo's multi-sensor machine: a pump whose vibration, temperature, pressure and flow all follow one load
 * (a daily duty cycle, a weekly one and slow drift), so the sensors move together as a real machine's do, each
 * with its own noise; the temperature follows the load with a thermal lag. After the part the demo trains on, a
 * bearing fault starts and lasts tens of rows: vibration climbs over a few rows to far above anything the load
 * explains and rattles more, the temperature creeps up behind it from the friction, while pressure and flow stay
 * as the load says, because the pump still delivers. The fault's rows are labelled, and vibration is the cause a
 * detector should name. Its own random stream, so the univariate keys stay the same; deterministic for a seed.
 */
public final class MachineGenerator {
    public static final String NAME = "pump-1";
    public static final List<String> SENSORS = List.of("vibration", "temperature", "pressure", "flow");
    /** The fault starts in [FAULT_FROM, FAULT_FROM + 0.1) of the rows: after the demo's training and validation. */
    static final double FAULT_FROM = 0.6;

    private MachineGenerator() {
    }

    /** The pump over {@code rows} hourly rows (the same times as the generator's keys). */
    public static MachineSeries generate(int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        long[] times = SeriesGenerator.hourlyTimes(rows);
        int faultLength = Math.max(24, Math.min(72, rows / 20));
        int faultStart = (int) (FAULT_FROM * rows) + rnd.nextInt(Math.max(1, (int) (0.1 * rows)));
        faultStart = Math.min(faultStart, Math.max(0, rows - faultLength));
        int ramp = Math.max(4, faultLength / 6);
        double phase = 2 * Math.PI * rnd.nextDouble();
        int s = SENSORS.size();
        float[] values = new float[rows * s];
        boolean[] fault = new boolean[rows];
        double drift = 0;
        double heat = 0.65;
        for (int r = 0; r < rows; r++) {
            drift = 0.8 * drift + 0.02 * SeriesGenerator.gaussian(rnd);
            double load = 0.65 + 0.2 * Math.sin(2 * Math.PI * r / 24 + phase) + 0.05 * Math.sin(2 * Math.PI * r / 168)
                    + drift;
            heat += 0.3 * (load - heat); // the casing warms and cools behind the load
            int i = r - faultStart;
            boolean inFault = i >= 0 && i < faultLength;
            fault[r] = inFault;
            double progress = inFault ? Math.min(1.0, (i + 1.0) / ramp) : 0;
            double friction = inFault ? Math.min(1.0, (i + 1.0) / (2.0 * ramp)) : 0;
            double vibration = 1.2 + 1.5 * load + 2.0 * progress
                    + 0.06 * (1 + 2 * progress) * SeriesGenerator.gaussian(rnd);
            double temperature = 45 + 12 * heat + 5.0 * friction * friction + 0.3 * SeriesGenerator.gaussian(rnd);
            double pressure = 2.0 + 3.0 * load + 0.06 * SeriesGenerator.gaussian(rnd);
            double flow = 40 + 50 * load + 0.8 * SeriesGenerator.gaussian(rnd);
            values[r * s] = (float) vibration;
            values[r * s + 1] = (float) temperature;
            values[r * s + 2] = (float) pressure;
            values[r * s + 3] = (float) flow;
        }
        return new MachineSeries(NAME, SENSORS, times, values, fault, "vibration", String.format(Locale.ROOT,
                "bearing fault, rows %d-%d: vibration climbs and rattles, temperature creeps up, pressure and flow"
                        + " stay normal", faultStart, faultStart + faultLength - 1));
    }
}
