package io.flinkrnn.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Every tile of a call is stepped exactly once, whoever claims it and in whatever sizes. */
class TileClaimsTest {

    @Test
    void homeRangesCoverTheTilesInOrderAndEvenly() {
        TileClaims claims = new TileClaims(86, 3);
        int expectedStart = 0;
        for (int p = 0; p < 3; p++) {
            int first = claims.claim(p, 1);
            assertEquals(expectedStart, first, "part " + p + " starts where the one before ends");
            int size = claims.end(p) - first;
            assertTrue(size == 28 || size == 29, "part " + p + " has " + size + " tiles");
            expectedStart = claims.end(p);
        }
        assertEquals(86, expectedStart);
    }

    @Test
    void aRangeUsedUpAnswersMinusOneAndAClaimStopsAtItsEnd() {
        TileClaims claims = new TileClaims(5, 2);
        assertEquals(0, claims.claim(0, 4));
        assertEquals(2, claims.end(0), "part 0 holds tiles [0, 2); a claim of 4 covers only those");
        assertEquals(-1, claims.claim(0, 1));
        assertEquals(2, claims.claim(1, 1));
        assertEquals(3, claims.claim(1, 4));
        assertEquals(-1, claims.claim(1, 1));
    }

    @Test
    void moreThreadsThanTilesLeavesSomeRangesEmpty() {
        TileClaims claims = new TileClaims(1, 3);
        int claimed = 0;
        for (int p = 0; p < 3; p++) {
            if (claims.claim(p, 1) >= 0) {
                claimed++;
            }
        }
        assertEquals(1, claimed);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new TileClaims(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> new TileClaims(10, 0));
    }

    /** Threads claim from every range at once, in mixed sizes, the way the backend's threads do. */
    @Test
    void concurrentClaimsTakeEachTileExactlyOnce() throws Exception {
        int tiles = 1000;
        int threads = 4;
        for (int round = 0; round < 50; round++) {
            TileClaims claims = new TileClaims(tiles, threads);
            AtomicIntegerArray taken = new AtomicIntegerArray(tiles);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int home = t;
                Thread w = new Thread(() -> {
                    SplittableRandom rnd = new SplittableRandom(home);
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < threads; i++) {
                        int part = (home + i) % threads;
                        int count = 1 + rnd.nextInt(4);
                        int first;
                        while ((first = claims.claim(part, count)) >= 0) {
                            for (int k = first; k < Math.min(first + count, claims.end(part)); k++) {
                                taken.incrementAndGet(k);
                            }
                        }
                    }
                });
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            for (int k = 0; k < tiles; k++) {
                assertEquals(1, taken.get(k), "round " + round + ": tile " + k + " claimed " + taken.get(k) + " times");
            }
        }
    }
}
