package io.flinkrnn.cli.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's built-in data: several keys of hourly readings, each a daily and a weekly cycle on its own level,
 * a slow trend, Gaussian noise, and a few injected anomalies (spikes and short level shifts) — the shape of
 * traffic, load or temperature feeds. Deterministic for a seed.
 */
public final class SeriesGenerator {
    private static final long HOUR = 3_600_000L;
    private static final long START = 1_735_689_600_000L; // 2025-01-01T00:00Z
    /**
     * Series of up to this many rows start at START; longer ones end where those do, so every event time
     * stays in the past (a job turns away event times ahead of their records' clock: EVENT_TIME_AHEAD).
     */
    private static final int ROWS_FROM_START = 1500;

    private SeriesGenerator() {
    }

    public static DemoSeries generate(int keys, int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<DemoSeries.Key> out = new ArrayList<>();
        String[] kinds = {"sensor", "road", "meter", "store"};
        for (int k = 0; k < keys; k++) {
            double level = 20 + 60 * rnd.nextDouble();
            double daily = 0.15 * level * (0.5 + rnd.nextDouble());
            double weekly = 0.05 * level * rnd.nextDouble();
            double trend = (rnd.nextDouble() - 0.5) * level / rows;
            double noise = 0.02 * level * (0.5 + rnd.nextDouble());
            double phase = 2 * Math.PI * rnd.nextDouble();
            long[] times = hourlyTimes(rows);
            float[] values = new float[rows];
            boolean[] anomalies = new boolean[rows];
            for (int r = 0; r < rows; r++) {
                double v = level + trend * r + daily * Math.sin(2 * Math.PI * r / 24 + phase)
                        + weekly * Math.sin(2 * Math.PI * r / 168) + noise * gaussian(rnd);
                values[r] = (float) v;
            }
            // A few anomalies in the second half, where the model has seen enough to be surprised.
            int count = 2 + rnd.nextInt(2);
            for (int a = 0; a < count; a++) {
                int at = rows / 2 + rnd.nextInt(Math.max(1, rows / 2 - 12));
                boolean spike = rnd.nextBoolean();
                int len = spike ? 1 : 4 + rnd.nextInt(6);
                // The sign applies to the whole step: a downward spike added 0.3 x daily the wrong way, which cancelled most
                // of it (NAB-sized 1-2 sigma "spikes" nobody could see).
                double size = ((spike ? 6 : 3) * noise + (spike ? 0.3 * daily : 0)) * (rnd.nextBoolean() ? 1 : -1);
                for (int r = at; r < Math.min(rows, at + len); r++) {
                    values[r] += (float) size;
                    anomalies[r] = true;
                }
            }
            out.add(new DemoSeries.Key(String.format("%s-%02d", kinds[k % kinds.length], k), times, values, anomalies));
        }
        return new DemoSeries("built-in generator (" + keys + " keys x " + rows + " hourly rows, seed " + seed + ")",
                "value", out);
    }

    /** Hourly event times for {@code rows} rows, every key's the same (see {@link #ROWS_FROM_START}). */
    static long[] hourlyTimes(int rows) {
        long[] times = new long[rows];
        long start = START - Math.max(0, rows - ROWS_FROM_START) * HOUR;
        for (int r = 0; r < rows; r++) {
            times[r] = start + r * HOUR;
        }
        return times;
    }

    static double gaussian(SplittableRandom rnd) {
        double u = Math.max(rnd.nextDouble(), 1e-300);
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
