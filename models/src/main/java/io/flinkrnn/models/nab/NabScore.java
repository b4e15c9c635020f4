package io.flinkrnn.models.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * NAB's corpus score for one profile: every distinct anomaly score of every file is tried as the threshold
 * (a row with score >= threshold is a detection), the corpus score is the sum over all files of each window's
 * best detection (tpWeight x its sweep value) or -fnWeight when none, plus fpWeight x the sweep value of every
 * detection outside a window; the threshold with the highest corpus score is kept, and the score is
 * normalised to 100 x (S - S_null) / (S_perfect - S_null), with S_perfect = windows x tpWeight and S_null =
 * -windows x fnWeight (nothing detected).
 */
public final class NabScore {
    /** One file's result at the chosen threshold. */
    public record FileScore(String file, double raw, int detectedWindows, int windows, int falsePositives) {
    }

    public final NabProfile profile;
    public final double threshold;
    public final double raw;
    public final double normalized;
    public final List<FileScore> files;

    private NabScore(NabProfile profile, double threshold, double raw, double normalized, List<FileScore> files) {
        this.profile = profile;
        this.threshold = threshold;
        this.raw = raw;
        this.normalized = normalized;
        this.files = files;
    }

    /** A file's sweep and its detector's anomaly scores, one per row. */
    public record Scored(NabSweep sweep, double[] scores) {
        public Scored {
            if (scores.length != sweep.rows) {
                throw new IllegalArgumentException(sweep.file + ": " + scores.length + " anomaly scores for "
                        + sweep.rows + " rows");
            }
        }
    }

    /** Optimises the threshold for {@code profile} over the whole corpus and scores it. */
    public static NabScore of(NabProfile profile, List<Scored> corpus) {
        int windows = 0;
        int[] windowBase = new int[corpus.size()];
        List<long[]> candidates = new ArrayList<>(); // {file, row} of every scorable row
        for (int f = 0; f < corpus.size(); f++) {
            windowBase[f] = windows;
            windows += corpus.get(f).sweep.windows;
            for (int r = corpus.get(f).sweep.probation; r < corpus.get(f).sweep.rows; r++) {
                candidates.add(new long[] {f, r});
            }
        }
        candidates.sort(Comparator.comparingDouble((long[] c) -> -corpus.get((int) c[0]).scores[(int) c[1]]));
        double[] best = new double[windows];
        Arrays.fill(best, Double.NaN);
        double total = -windows * profile.fnWeight();
        double bestTotal = total;
        double bestThreshold = Double.POSITIVE_INFINITY;
        for (int i = 0; i < candidates.size(); i++) {
            long[] c = candidates.get(i);
            Scored s = corpus.get((int) c[0]);
            int r = (int) c[1];
            total += gain(profile, s.sweep, r, windowBase[(int) c[0]], best);
            double score = s.scores[r];
            boolean lastOfGroup = i + 1 == candidates.size()
                    || corpus.get((int) candidates.get(i + 1)[0]).scores[(int) candidates.get(i + 1)[1]] != score;
            if (lastOfGroup && total > bestTotal) {
                bestTotal = total;
                bestThreshold = score;
            }
        }
        return at(profile, corpus, bestThreshold, windows);
    }

    /** How the corpus score changes when row r of a file becomes a detection; updates the windows' best. */
    private static double gain(NabProfile p, NabSweep sweep, int r, int base, double[] best) {
        int w = sweep.window[r];
        double v = sweep.value[r];
        if (w == NabSweep.OUTSIDE) {
            return p.fpWeight() * v;
        }
        double old = best[base + w];
        if (Double.isNaN(old)) {
            best[base + w] = v;
            return p.fnWeight() + p.tpWeight() * v;
        }
        if (v > old) {
            best[base + w] = v;
            return p.tpWeight() * (v - old);
        }
        return 0;
    }

    /** The corpus scored at a fixed threshold (no threshold sweep), with per-file figures. */
    public static NabScore at(NabProfile profile, List<Scored> corpus, double threshold) {
        return at(profile, corpus, threshold, corpus.stream().mapToInt(s -> s.sweep.windows).sum());
    }

    /** The corpus scored at a fixed threshold, with per-file figures. */
    static NabScore at(NabProfile profile, List<Scored> corpus, double threshold, int windows) {
        List<FileScore> files = new ArrayList<>();
        double total = 0;
        for (Scored s : corpus) {
            double[] best = new double[s.sweep.windows];
            Arrays.fill(best, Double.NaN);
            double raw = -s.sweep.windows * profile.fnWeight();
            int fp = 0;
            for (int r = s.sweep.probation; r < s.sweep.rows; r++) {
                if (s.scores[r] >= threshold) {
                    raw += gain(profile, s.sweep, r, 0, best);
                    if (s.sweep.window[r] == NabSweep.OUTSIDE) {
                        fp++;
                    }
                }
            }
            int detected = (int) Arrays.stream(best).filter(b -> !Double.isNaN(b)).count();
            files.add(new FileScore(s.sweep.file, raw, detected, s.sweep.windows, fp));
            total += raw;
        }
        double perfect = windows * profile.tpWeight();
        double none = -windows * profile.fnWeight();
        return new NabScore(profile, threshold, total, 100 * (total - none) / (perfect - none), files);
    }
}
