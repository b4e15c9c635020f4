package io.flinkrnn.operators.kafka;

import io.flinkrnn.schemas.Observation;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Fails its task exactly once, mid-stream, after at least two checkpoints have completed, to test recovery.
 * Until then it slows each record a little so that checkpoints can complete while data is still flowing.
 * Static state: the MiniCluster runs in the test JVM, and a restarted task must see that it already failed.
 */
final class FailOnce implements MapFunction<Observation, Observation>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger CHECKPOINTS = new AtomicInteger();
    static final AtomicInteger SEEN = new AtomicInteger();

    static void reset() {
        FAILED.set(false);
        CHECKPOINTS.set(0);
        SEEN.set(0);
    }

    @Override
    public Observation map(Observation value) throws Exception {
        if (!FAILED.get()) {
            if (SEEN.incrementAndGet() % 2 == 0) {
                Thread.sleep(1);
            }
            if (CHECKPOINTS.get() >= 2 && SEEN.get() > 3000 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + SEEN.get() + " records and "
                        + CHECKPOINTS.get() + " completed checkpoints");
            }
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        CHECKPOINTS.incrementAndGet();
    }
}
