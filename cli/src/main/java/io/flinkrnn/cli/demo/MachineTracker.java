package io.flinkrnn.cli.demo;

import io.flinkrnn.cli.data.MachineSeries;
import io.flinkrnn.schemas.Forecast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine's forecasts as they come out of its job, row by row: each sensor's one-step forecast, whether the job
 * held the key {@code anomalous} and the cause it named; and the verdict against the labelled fault, point-wise as
 * SKAB scores it (fault rows caught, anomalous rows outside the fault), with the first detection's delay and the
 * cause named most often. The rows that only continue the fault's stretch after it ended (the job's hold, {@code
 * anomaly.anomalous.clear-rows}) are false alarms point-wise and counted apart, so the line says what they are.
 * Thread-safe: the consumer writes, the progress printer reads.
 */
public final class MachineTracker {
    private final MachineSeries machine;
    private final Map<Long, Integer> rowByTime = new HashMap<>();
    private final int sensors;
    private final float[] nextStep;
    private final int[] received;
    private final boolean[] anomalous;
    private final int[] cause;
    private long total;

    public MachineTracker(MachineSeries machine) {
        this.machine = machine;
        this.sensors = machine.sensors.size();
        int n = machine.rows();
        nextStep = new float[n * sensors];
        Arrays.fill(nextStep, Float.NaN);
        received = new int[n];
        anomalous = new boolean[n];
        cause = new int[n];
        Arrays.fill(cause, -1);
        for (int r = n - 1; r >= 0; r--) {
            rowByTime.put(machine.times[r], r);
        }
    }

    /** One forecast from the machine's output topic. */
    public void accept(Forecast f) {
        accept(f.getKey(), f.getEventTime().toEpochMilli(), f.getValues(), Boolean.TRUE.equals(f.getAnomalous()),
                f.getAnomalyCause());
    }

    /**
     * One forecast: the key, the event time it follows, its values (step-major: the first {@code sensors} are the
     * next row's), whether the key is anomalous and the cause the job named (null: none). Returns its row, or -1 for
     * another key, an unknown time or a duplicate.
     */
    public synchronized int accept(String key, long eventTime, List<Float> values, boolean isAnomalous,
            String causeName) {
        total++;
        Integer row = key.equals(machine.name) ? rowByTime.get(eventTime) : null;
        if (row == null || received[row]++ > 0) {
            return -1;
        }
        for (int s = 0; s < sensors && s < values.size(); s++) {
            nextStep[row * sensors + s] = values.get(s);
        }
        anomalous[row] = isAnomalous;
        cause[row] = causeName == null ? -1 : machine.sensors.indexOf(causeName);
        return row;
    }

    public MachineSeries machine() {
        return machine;
    }

    /** Forecasts received, duplicates and strays included. */
    public synchronized long total() {
        return total;
    }

    /** Rows flagged anomalous so far. */
    public synchronized int anomalousRows() {
        int n = 0;
        for (boolean a : anomalous) {
            n += a ? 1 : 0;
        }
        return n;
    }

    /** For the progress line: rows anomalous, and the fault's rows caught of those streamed so far. */
    public String progress() {
        Verdict v = verdict();
        return machine.name + " anomalous " + v.anomalousRows() + (v.faultRows() == 0 ? ""
                : " fault " + v.caughtRows() + "/" + v.faultRows() + (v.cause() == null ? "" : " cause " + v.cause()));
    }

    /** Whether the job held each row anomalous. */
    public synchronized boolean[] anomalous() {
        return anomalous.clone();
    }

    /** Sensor s's one-step forecast made after each row (NaN where none arrived). */
    public synchronized float[] nextStep(int s) {
        float[] out = new float[machine.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = nextStep[r * sensors + s];
        }
        return out;
    }

    /** The job's anomalous stretches, in order, each with the cause it named most often. */
    public synchronized List<Stretch> stretches() {
        List<Stretch> out = new ArrayList<>();
        for (int r = 0; r < anomalous.length; r++) {
            if (!anomalous[r]) {
                continue;
            }
            int from = r;
            while (r + 1 < anomalous.length && anomalous[r + 1]) {
                r++;
            }
            int[] named = causes(from, r, false);
            int top = top(named);
            boolean overlaps = false;
            for (int j = from; j <= r; j++) {
                overlaps |= machine.fault[j];
            }
            out.add(new Stretch(from, r, top < 0 ? null : machine.sensors.get(top), top < 0 ? 0 : named[top],
                    overlaps));
        }
        return out;
    }

    /**
     * One anomalous stretch: rows [from, to], its most frequent cause (null: none named) and whether it meets the
     * fault.
     */
    public record Stretch(int from, int to, String cause, int causeRows, boolean meetsFault) {
        public int rows() {
            return to - from + 1;
        }
    }

    /** The verdict against the labelled fault, over the rows whose forecast arrived. */
    public synchronized Verdict verdict() {
        int rows = 0;
        int flagged = 0;
        int faultRows = 0;
        int caught = 0;
        int falseAlarms = 0;
        int hold = 0;
        int delay = -1;
        int start = machine.faultStart();
        int end = start;
        while (start >= 0 && end + 1 < machine.rows() && machine.fault[end + 1]) {
            end++;
        }
        // the stretch that was on at the fault's last row and runs on past it: the hold
        int holdEnd = end;
        while (start >= 0 && anomalous[end] && holdEnd + 1 < machine.rows() && anomalous[holdEnd + 1]) {
            holdEnd++;
        }
        for (int r = 0; r < machine.rows(); r++) {
            if (received[r] == 0) {
                continue;
            }
            rows++;
            flagged += anomalous[r] ? 1 : 0;
            if (machine.fault[r]) {
                faultRows++;
                if (anomalous[r]) {
                    caught++;
                    delay = delay < 0 ? r - start : delay;
                }
            } else if (anomalous[r]) {
                falseAlarms++;
                hold += r > end && r <= holdEnd ? 1 : 0;
            }
        }
        int[] named = start < 0 ? new int[sensors] : causes(start, end, true);
        int top = top(named);
        return new Verdict(machine.name, rows, flagged, faultRows, caught, falseAlarms, hold, delay,
                top < 0 ? null : machine.sensors.get(top), top < 0 ? 0 : named[top], machine.faultSensor);
    }

    /**
     * The machine's line in the summary: rows flagged, fault rows caught, false alarms, the first detection's delay
     * and the cause named most often during the fault.
     *
     * @param firstDelay rows from the fault's start to its first anomalous row, -1 if never
     * @param expectedCause the sensor the fault drives
     */
    public record Verdict(String key, int rows, int anomalousRows, int faultRows, int caughtRows, int falseAlarmRows,
            int holdRows, int firstDelay, String cause, int causeRows, String expectedCause) {
        public String describe() {
            if (faultRows == 0) {
                return String.format(Locale.ROOT, "%s: %d rows anomalous of %d; its fault was not streamed", key,
                        anomalousRows, rows);
            }
            return String.format(Locale.ROOT, "%s: %d rows anomalous of %d; fault rows caught %d of %d (%.0f%%),"
                    + " false-alarm rows %d (%d of them the hold after the fault), first detected %s; cause named"
                    + " most during the fault: %s (expected %s)", key, anomalousRows, rows, caughtRows, faultRows,
                    100.0 * caughtRows / faultRows, falseAlarmRows, holdRows, firstDelay < 0 ? "never"
                    : firstDelay == 0 ? "on the fault's first row" : firstDelay + (firstDelay == 1 ? " row" : " rows")
                    + " after the fault began", cause == null ? "none" : cause + " (" + causeRows
                    + " of " + caughtRows + " rows)", expectedCause);
        }
    }

    /** How often each sensor was named the cause on rows [from, to] (only anomalous rows where {@code onlyFault}). */
    private int[] causes(int from, int to, boolean onlyFault) {
        int[] named = new int[sensors];
        for (int j = from; j <= to; j++) {
            if (anomalous[j] && cause[j] >= 0 && (!onlyFault || machine.fault[j])) {
                named[cause[j]]++;
            }
        }
        return named;
    }

    private static int top(int[] counts) {
        int top = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && (top < 0 || counts[i] > counts[top])) {
                top = i;
            }
        }
        return top;
    }
}
