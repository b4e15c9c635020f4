package io.flinkrnn.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How the tiles of one step call are shared among its threads. The tiles are cut into one contiguous home
 * range per thread; a thread claims from its own range first and then from the others', so every tile is
 * claimed exactly once whatever the threads' speeds.
 *
 * <p>Why home ranges rather than one shared counter: a key's states are updated in place, so the core that
 * stepped a key last holds its states in its L2. With one counter, about half the keys changed cores from one
 * call to the next and their states crossed between caches; with home ranges a key stays on the same core
 * while the threads keep pace. Measured with both backends over one copy of the weights, two instances of
 * each build in one JVM ({@code bench/ab}): 2 threads ÷ two independent 1-thread loops went from 0.94/0.94
 * to 0.96/1.00 (GRU B = 1024), 0.88/0.87 to 0.93/0.96 (GRU B = 256), 0.96/0.96 to 0.97/0.98 (LSTM B = 1024).
 * Claiming from the other ranges once its own is done keeps a descheduled or slower thread from holding the
 * call up.
 */
final class TileClaims {
    /** Ints between two cursors: each sits in its own cache line, so owners do not contend. */
    private static final int PAD = 16;
    private final int parts;
    private final int[] ends;
    private final AtomicIntegerArray cursors;
    /** Claims being worked on (counted before the claim is made): the caller waits for it to reach zero. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    TileClaims(int tiles, int parts) {
        if (tiles < 0 || parts < 1) {
            throw new IllegalArgumentException("tiles " + tiles + ", parts " + parts);
        }
        this.parts = parts;
        this.ends = new int[parts];
        this.cursors = new AtomicIntegerArray(parts * PAD);
        for (int p = 0; p < parts; p++) {
            cursors.set(p * PAD, (int) ((long) tiles * p / parts));
            ends[p] = (int) ((long) tiles * (p + 1) / parts);
        }
    }

    int parts() {
        return parts;
    }

    /**
     * Claims up to {@code count} tiles of {@code part}'s range: returns the first, or -1 when the range is used
     * up. The claim ends at {@code Math.min(first + count, end(part))}.
     */
    int claim(int part, int count) {
        int at = part * PAD;
        // A plain read first: once a range is used up, threads passing by do not dirty its line.
        if (cursors.get(at) >= ends[part]) {
            return -1;
        }
        int first = cursors.getAndAdd(at, count);
        return first < ends[part] ? first : -1;
    }

    int end(int part) {
        return ends[part];
    }

    void enter() {
        inFlight.incrementAndGet();
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    void fail(Throwable t) {
        failure.compareAndSet(null, t);
    }

    Throwable failure() {
        return failure.get();
    }

    /**
     * Called by a thread that found every range used up: at most one claim per other thread is still being
     * worked on, so this waits for work in progress, never for a thread to wake up.
     */
    void awaitClaimed() {
        int spins = 0;
        while (inFlight.get() != 0) {
            if (++spins < 10_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
