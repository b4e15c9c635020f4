package io.flinkrnn.kernels;

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
    }
}
