package io.flinkrnn.stepper;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * How a bundle of rows is stepped: rows grouped by key in order of first appearance, each key's rows in
 * arrival order. Wave w steps the w-th row of every key that has one, so a key seen k times takes k waves
 * and a key's steps keep their order. Shared by the streaming operator and the offline replay, so both
 * batch the same way.
 */
public final class BundleWaves {
    /** Rows of key k are {@code rows[offsets[k] .. offsets[k+1])}, in arrival order. */
    private final int[] offsets;
    private final int[] rows;
    private final int[] keyOfRow;
    private final int waves;

    private BundleWaves(int[] offsets, int[] rows, int[] keyOfRow, int waves) {
        this.offsets = offsets;
        this.rows = rows;
        this.keyOfRow = keyOfRow;
        this.waves = waves;
    }

    /**
     * Groups rows 0..rows-1 by {@code keyOf(row)}: one hash lookup per row and flat int arrays, since the
     * operator does this on every flush.
     */
    public static <K> BundleWaves of(int rows, IntFunction<K> keyOf) {
        if (rows == 1) {
            // One row (every SQL call): one key, one wave, no map to build.
            return new BundleWaves(new int[] {0, 1}, new int[] {0}, new int[] {0}, 1);
        }
        Map<K, Integer> index = new HashMap<>(Math.max(16, rows * 2));
        int[] keyOfRow = new int[rows];
        int[] counts = new int[rows];
        int keys = 0;
        for (int r = 0; r < rows; r++) {
            Integer k = index.putIfAbsent(keyOf.apply(r), keys);
            int ki = k == null ? keys++ : k;
            keyOfRow[r] = ki;
            counts[ki]++;
        }
        int[] offsets = new int[keys + 1];
        int waves = 0;
        for (int k = 0; k < keys; k++) {
            offsets[k + 1] = offsets[k] + counts[k];
            waves = Math.max(waves, counts[k]);
        }
        int[] fill = Arrays.copyOf(offsets, keys);
        int[] flat = new int[rows];
        for (int r = 0; r < rows; r++) {
            flat[fill[keyOfRow[r]]++] = r;
        }
        return new BundleWaves(offsets, flat, keyOfRow, waves);
    }

    /** Distinct keys, in order of first appearance. */
    public int keyCount() {
        return offsets.length - 1;
    }

    /** The rows of the {@code k}-th distinct key, in arrival order (a copy). */
    public int[] rows(int k) {
        return Arrays.copyOfRange(rows, offsets[k], offsets[k + 1]);
    }

    /** How many rows the {@code k}-th distinct key has. */
    public int rowCount(int k) {
        return offsets[k + 1] - offsets[k];
    }

    /** The distinct key (0 .. keyCount-1) of row {@code r}. */
    public int keyOf(int r) {
        return keyOfRow[r];
    }

    /** The first row of the {@code k}-th distinct key. */
    public int firstRow(int k) {
        return rows[offsets[k]];
    }

    /** The largest number of rows any key has: the number of waves. */
    public int waveCount() {
        return waves;
    }

    /** Row of key {@code k} in wave {@code w}, or -1 when the key has fewer rows. */
    public int row(int k, int w) {
        int at = offsets[k] + w;
        return at < offsets[k + 1] ? rows[at] : -1;
    }
}
