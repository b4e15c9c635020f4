package io.flinkrnn.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * How a bundle of rows is stepped: rows grouped by key in order of first appearance, each key's rows in
 * arrival order. Wave w steps the w-th row of every key that has one, so a key seen k times takes k waves
 * and a key's steps keep their order. Shared by the streaming operator and the offline replay, so both
 * batch the same way.
 */
public final class BundleWaves {
    private final List<int[]> rowsByKey;
    private final int waves;

    private BundleWaves(List<int[]> rowsByKey, int waves) {
        this.rowsByKey = rowsByKey;
        this.waves = waves;
    }

    /** Groups rows 0..rows-1 by {@code keyOf(row)}. */
    public static <K> BundleWaves of(int rows, IntFunction<K> keyOf) {
        Map<K, List<Integer>> groups = new java.util.LinkedHashMap<>();
        for (int r = 0; r < rows; r++) {
            groups.computeIfAbsent(keyOf.apply(r), k -> new ArrayList<>(2)).add(r);
        }
        List<int[]> byKey = new ArrayList<>(groups.size());
        int waves = 0;
        for (List<Integer> g : groups.values()) {
            byKey.add(g.stream().mapToInt(Integer::intValue).toArray());
            waves = Math.max(waves, g.size());
        }
        return new BundleWaves(byKey, waves);
    }

    /** Distinct keys, in order of first appearance. */
    public int keyCount() {
        return rowsByKey.size();
    }

    /** The rows of the {@code k}-th distinct key, in arrival order. */
    public int[] rows(int k) {
        return rowsByKey.get(k);
    }

    /** The largest number of rows any key has: the number of waves. */
    public int waveCount() {
        return waves;
    }

    /** Row of key {@code k} in wave {@code w}, or -1 when the key has fewer rows. */
    public int row(int k, int w) {
        int[] r = rowsByKey.get(k);
        return w < r.length ? r[w] : -1;
    }
}
