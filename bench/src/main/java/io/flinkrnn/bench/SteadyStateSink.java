package io.flinkrnn.bench;

import io.flinkrnn.schemas.Forecast;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Discards forecasts, noting when the first quarter of them had arrived and when the last did (across all
 * subtasks: the MiniCluster runs in this JVM), so the benchmark can report the rate of the last three
 * quarters: steady state, without job start, JIT compilation, the kernels' one-time warm-up or the window
 * baseline's first, shorter windows. It also samples the JVM's CPU time at both moments: CPU time per
 * event does not count the time a shared VM's hypervisor gives to others (steal), so it compares pipelines
 * run minutes apart far more steadily than a rate does.
 */
final class SteadyStateSink implements Sink<Forecast> {
    private static final long serialVersionUID = 1L;
    static final AtomicLong COUNT = new AtomicLong();
    static volatile long quarterNanos;
    static volatile long lastNanos;
    static volatile long quarterCpuNanos;
    static volatile long lastCpuNanos;
    private final long expected;

    SteadyStateSink(long expected) {
        this.expected = expected;
    }

    @Override
    public SinkWriter<Forecast> createWriter(WriterInitContext context) {
        long quarter = expected / 4;
        return new SinkWriter<>() {
            @Override
            public void write(Forecast f, Context ctx) {
                long n = COUNT.incrementAndGet();
                if (n == quarter) {
                    quarterNanos = System.nanoTime();
                    quarterCpuNanos = processCpuNanos();
                }
                if (n == expected) {
                    lastNanos = System.nanoTime();
                    lastCpuNanos = processCpuNanos();
                }
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Before each job in the same JVM. */
    static void reset() {
        COUNT.set(0);
        quarterNanos = 0;
        lastNanos = 0;
        quarterCpuNanos = 0;
        lastCpuNanos = 0;
    }

    /** Forecasts per second over the last three quarters; NaN if the run did not complete. */
    static double steadyRate(long expected) {
        long q = expected / 4;
        return lastNanos > quarterNanos && quarterNanos > 0 ? (expected - q) / ((lastNanos - quarterNanos) / 1e9)
                : Double.NaN;
    }

    /** CPU microseconds the whole JVM (all threads) spent per forecast over the last three quarters. */
    static double steadyCpuMicrosPerEvent(long expected) {
        long q = expected / 4;
        return lastCpuNanos > quarterCpuNanos && quarterCpuNanos > 0
                ? (lastCpuNanos - quarterCpuNanos) / 1e3 / (expected - q) : Double.NaN;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
