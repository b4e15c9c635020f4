package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BundleWavesTest {
    @Test
    void groupsByKeyInFirstAppearanceOrderAndKeepsEachKeysArrivalOrder() {
        List<String> keys = List.of("a", "b", "a", "c", "a", "b");
        BundleWaves w = BundleWaves.of(keys.size(), keys::get);
        assertEquals(3, w.keyCount());
        assertEquals(3, w.waveCount(), "a appears three times");
        assertArrayEquals(new int[] {0, 2, 4}, w.rows(0));
        assertArrayEquals(new int[] {1, 5}, w.rows(1));
        assertArrayEquals(new int[] {3}, w.rows(2));
        assertEquals(2, w.row(0, 1));
        assertEquals(-1, w.row(2, 1), "c has no second row");
        assertEquals(0, BundleWaves.of(0, i -> "x").waveCount());
        assertEquals(0, BundleWaves.of(0, i -> "x").keyCount());
        assertEquals(1, w.firstRow(1));
        assertEquals(3, w.firstRow(2));
    }

    @Test
    void oneRowIsOneKeyInOneWave() {
        BundleWaves one = BundleWaves.of(1, i -> "only");
        assertEquals(1, one.keyCount());
        assertEquals(1, one.waveCount());
        assertArrayEquals(new int[] {0}, one.rows(0));
        assertEquals(0, one.keyOf(0));
        assertEquals(0, one.firstRow(0));
        assertEquals(0, one.row(0, 0));
        assertEquals(-1, one.row(0, 1));
    }

    @Test
    void everyRowIsInExactlyOneWaveAndEachKeyAtMostOncePerWave() {
        int n = 5000;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        int[] key = new int[n];
        for (int i = 0; i < n; i++) {
            key[i] = rnd.nextInt(700);
        }
        BundleWaves w = BundleWaves.of(n, i -> "k" + key[i]);
        int[] seen = new int[n];
        for (int wave = 0; wave < w.waveCount(); wave++) {
            java.util.Set<Integer> keysInWave = new java.util.HashSet<>();
            for (int k = 0; k < w.keyCount(); k++) {
                int r = w.row(k, wave);
                if (r >= 0) {
                    seen[r]++;
                    assertEquals(true, keysInWave.add(key[r]), "a key twice in wave " + wave);
                    if (wave > 0) {
                        assertEquals(true, w.row(k, wave - 1) < r, "arrival order within a key");
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen[i], "row " + i);
        }
    }
}
