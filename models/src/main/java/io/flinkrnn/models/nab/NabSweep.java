package io.flinkrnn.models.nab;

import java.time.LocalDateTime;
import java.util.List;

/**
 * What each row of one file is worth when it is a detection, before the profile's weights: NAB's sweep
 * (written from its published description, {@code nab/sweeper.py}). Inside a window of width w rows whose
 * right edge is row r, row i sits at p = -(r - i + 1) / w and is worth S(p) / S(-1), the scaled sigmoid S(p)
 * = 2 / (1 + e^(5p)) - 1 normalised so that the window's first row is worth 1. Outside windows, a row after a
 * window that ended at row r with width w sits at p = |r - i| / (w - 1) and is worth S(p) (negative; S = -1
 * past p = 3); before any window, -1. Rows of the probationary period (the first min(floor(0.15 N), 750)) are
 * never detections.
 */
public final class NabSweep {
    /** Window index of a row outside every window. */
    public static final int OUTSIDE = -1;
    final String file;
    final int rows;
    final int windows;
    final int probation;
    /** Per row: the window it lies in, or {@link #OUTSIDE}. */
    final int[] window;
    /** Per row: S(p)/S(-1) inside a window, S(p) or -1 outside (multiply by tpWeight resp. fpWeight). */
    final double[] value;

    private NabSweep(String file, int rows, int windows, int probation, int[] window, double[] value) {
        this.file = file;
        this.rows = rows;
        this.windows = windows;
        this.probation = probation;
        this.window = window;
        this.value = value;
    }

    /** NAB's probationary period for a file of {@code rows} rows. */
    public static int probation(int rows) {
        return (int) Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
    }

    static double scaledSigmoid(double p) {
        return p > 3.0 ? -1.0 : 2.0 / (1.0 + Math.exp(5.0 * p)) - 1.0;
    }

    /**
     * @param times the file's timestamps, in row order
     * @param windows the file's labelled windows, [start, end] inclusive, in time order
     */
    public static NabSweep of(String file, List<LocalDateTime> times, List<LocalDateTime[]> windows) {
        int n = times.size();
        int[] window = new int[n];
        double[] value = new double[n];
        double maxTp = scaledSigmoid(-1.0);
        int next = 0;
        int curRight = -1;
        double curWidth = 0;
        LocalDateTime[] cur = null;
        int prevRight = -1;
        double prevWidth = 0;
        for (int i = 0; i < n; i++) {
            LocalDateTime t = times.get(i);
            if (cur == null && next < windows.size()) {
                cur = windows.get(next);
                curRight = indexOf(times, cur[1], file);
                curWidth = curRight - indexOf(times, cur[0], file) + 1;
            }
            if (cur != null && !t.isBefore(cur[0]) && !t.isAfter(cur[1])) {
                window[i] = next;
                value[i] = scaledSigmoid(-(curRight - i + 1) / curWidth) / maxTp;
            } else {
                window[i] = OUTSIDE;
                value[i] = prevRight < 0 ? -1.0 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
            }
            if (cur != null && t.equals(cur[1])) {
                prevRight = i;
                prevWidth = curWidth;
                cur = null;
                next++;
            }
        }
        return new NabSweep(file, n, windows.size(), probation(n), window, value);
    }

    /** The same sweep with another probationary period: the rows a detector learns from and is not scored on. */
    public NabSweep withProbation(int rows) {
        return new NabSweep(file, this.rows, windows, Math.min(rows, this.rows), window, value);
    }

    static int indexOf(List<LocalDateTime> times, LocalDateTime t, String file) {
        int i = times.indexOf(t);
        if (i < 0) {
            throw new IllegalArgumentException(file + ": window edge " + t + " is not a row's timestamp");
        }
        return i;
    }
}
