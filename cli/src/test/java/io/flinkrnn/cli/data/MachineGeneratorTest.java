package io.flinkrnn.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's pump: the same for a seed, its sensors moving together, one labelled fault where the demo says. */
class MachineGeneratorTest {
    private static final int VIBRATION = 0;
    private static final int TEMPERATURE = 1;
    private static final int PRESSURE = 2;
    private static final int FLOW = 3;

    @Test
    void theSameSeedGivesTheSameMachineAndAnotherSeedAnother() {
        MachineSeries a = MachineGenerator.generate(600, 7);
        MachineSeries b = MachineGenerator.generate(600, 7);
        assertArrayEquals(a.values, b.values);
        assertArrayEquals(a.times, b.times);
        assertArrayEquals(a.fault, b.fault);
        assertFalse(java.util.Arrays.equals(a.values, MachineGenerator.generate(600, 8).values));
    }

    @Test
    void theUnivariateKeysAreTheSameWithTheMachineBesideThem() {
        DemoSeries keys = SeriesGenerator.generate(2, 300, 7);
        MachineSeries pump = MachineGenerator.generate(300, 7);
        assertArrayEquals(keys.keys.get(0).times, pump.times, "the pump reads at the keys' hours");
        // The demo's default keys hash as the generator made them before the machine joined (commit 1a001db).
        int h = 17;
        for (DemoSeries.Key k : SeriesGenerator.generate(8, 1500, 7).keys) {
            h = 31 * h + java.util.Arrays.hashCode(k.values);
            h = 31 * h + java.util.Arrays.hashCode(k.times);
            h = 31 * h + java.util.Arrays.hashCode(k.anomalies);
        }
        assertEquals(-1434939023, h, "the univariate keys are unchanged");
    }

    @ParameterizedTest
    @ValueSource(ints = {300, 1500, 4000})
    void oneFaultOfTensOfRowsAfterTheTrainingAndValidationRows(int rows) {
        MachineSeries m = MachineGenerator.generate(rows, 3);
        int start = m.faultStart();
        assertTrue(start >= 0.5 * rows, "after the demo's 40 % training and 10 % validation rows: " + start);
        assertTrue(m.faultRows() >= 24 && m.faultRows() <= 72, "tens of rows: " + m.faultRows());
        for (int r = start; r < start + m.faultRows(); r++) {
            assertTrue(m.fault[r], "one contiguous run, row " + r);
        }
        assertTrue(m.faultDescription.contains("rows " + start + "-" + (start + m.faultRows() - 1)),
                m.faultDescription);
        assertEquals("vibration", m.faultSensor);
    }

    @Test
    void theFaultDrivesVibrationAndTemperatureWhileFlowAndPressureStayNormal() {
        MachineSeries m = MachineGenerator.generate(1500, 7);
        int start = m.faultStart();
        int end = start + m.faultRows();
        // the fault's second half, once it has built up, against the rows before it
        int from = start + m.faultRows() / 2;
        double[] v = stats(m, VIBRATION, 0, start);
        double[] t = stats(m, TEMPERATURE, 0, start);
        assertTrue(stats(m, VIBRATION, from, end)[0] > v[0] + 4 * v[1], "vibration far above its normal");
        assertTrue(stats(m, TEMPERATURE, from, end)[0] > t[0] + 1 * t[1], "temperature up");
        for (int s : new int[] {PRESSURE, FLOW}) {
            double[] normal = stats(m, s, 0, start);
            assertTrue(Math.abs(stats(m, s, from, end)[0] - normal[0]) < normal[1], m.sensors.get(s) + " normal");
        }
        double[] after = stats(m, VIBRATION, end, m.rows());
        assertTrue(Math.abs(after[0] - v[0]) < v[1], "vibration back to normal after the fault");
    }

    @Test
    void theSensorsMoveTogetherWithTheLoad() {
        MachineSeries m = MachineGenerator.generate(1500, 7);
        int n = m.faultStart();
        for (int a = 0; a < 4; a++) {
            for (int b = a + 1; b < 4; b++) {
                double c = correlation(m, a, b, n);
                assertTrue(c > 0.5, m.sensors.get(a) + " and " + m.sensors.get(b) + " correlate: " + c);
            }
        }
        assertTrue(correlation(m, PRESSURE, FLOW, n) > 0.9, "pressure and flow follow the load closely");
    }

    /** Mean and standard deviation of sensor s over rows [from, to). */
    private static double[] stats(MachineSeries m, int s, int from, int to) {
        double sum = 0;
        double sq = 0;
        for (int r = from; r < to; r++) {
            sum += m.value(r, s);
            sq += m.value(r, s) * (double) m.value(r, s);
        }
        int n = to - from;
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(Math.max(0, sq / n - mean * mean))};
    }

    private static double correlation(MachineSeries m, int a, int b, int rows) {
        double[] x = stats(m, a, 0, rows);
        double[] y = stats(m, b, 0, rows);
        double c = 0;
        for (int r = 0; r < rows; r++) {
            c += (m.value(r, a) - x[0]) * (m.value(r, b) - y[0]);
        }
        return c / rows / (x[1] * y[1]);
    }
}
