package io.flinkrnn.models.detect;

import io.flinkrnn.models.nab.NabProfile;
import io.flinkrnn.models.nab.NabScore;
import io.flinkrnn.models.nab.NabSweep;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Changepoint detection scored SKAB's way, a NAB score with a window of {@link #WINDOW_MILLIS} to the right of every
 * labelled change point: a detection is a row where a key's anomalous decision changes (a fault's onset, or its
 * end: SKAB marks both), the first one in a window
 * earns the most, and each one outside every window costs NAB's false-positive weight. Windows that overlap (SKAB
 * marks a fault's change points a minute apart) are merged into one. Scored with the project's NAB scorer at a
 * fixed threshold (detections are 0 or 1, nothing to sweep), the rows before {@code from} (the training part) not
 * scored, and normalised over all runs together.
 */
public final class ChangepointScore {
    public static final long WINDOW_MILLIS = 60_000;
    private final List<NabScore.Scored> runs = new ArrayList<>();

    /** Adds one run: its event times, its detections ({@link #changes}), its changepoint labels. */
    public void add(String run, long[] times, boolean[] detections, float[] changepoints, int from) {
        List<LocalDateTime> t = new ArrayList<>(times.length);
        for (long ms : times) {
            t.add(LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC));
        }
        List<LocalDateTime[]> windows = new ArrayList<>();
        int end = -1;
        for (int r = 0; r < times.length; r++) {
            if (changepoints[r] <= 0.5f) {
                continue;
            }
            int right = r;
            while (right + 1 < times.length && times[right + 1] <= times[r] + WINDOW_MILLIS) {
                right++;
            }
            if (end >= 0 && r <= end) {
                windows.get(windows.size() - 1)[1] = t.get(Math.max(end, right));
            } else {
                windows.add(new LocalDateTime[] {t.get(r), t.get(right)});
            }
            end = Math.max(end, right);
        }
        double[] scores = new double[times.length];
        for (int r = 0; r < times.length; r++) {
            scores[r] = detections[r] ? 1 : 0;
        }
        runs.add(new NabScore.Scored(NabSweep.of(run, t, windows).withProbation(from), scores));
    }

    /** The rows where a run's anomalous decision differs from the row before's (the first row: where it is on). */
    public static boolean[] changes(boolean[] anomalous) {
        boolean[] out = new boolean[anomalous.length];
        for (int r = 0; r < anomalous.length; r++) {
            out[r] = r == 0 ? anomalous[r] : anomalous[r] != anomalous[r - 1];
        }
        return out;
    }

    /** NAB's standard profile over every run added. */
    public NabScore standard() {
        return NabScore.at(NabProfile.ALL.get(0), runs, 0.5);
    }
}
