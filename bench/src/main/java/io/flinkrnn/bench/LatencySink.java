package io.flinkrnn.bench;

import io.flinkrnn.schemas.Forecast;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Records, for each forecast, the milliseconds from its observation's creation (the generator stamps the
 * event time with the wall clock in latency mode) to its arrival here. Static storage: the MiniCluster
 * runs in this JVM. Percentiles skip the first tenth as warm-up.
 */
final class LatencySink implements Sink<Forecast> {
    private static final long serialVersionUID = 1L;
    private static final int CAPACITY = 20_000_000;
    static final int[] LATENCIES = new int[CAPACITY];
    static final AtomicInteger COUNT = new AtomicInteger();

    @Override
    public SinkWriter<Forecast> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(Forecast f, Context ctx) {
                int i = COUNT.getAndIncrement();
                if (i < CAPACITY) {
                    LATENCIES[i] = (int) (System.currentTimeMillis() - f.getEventTime().toEpochMilli());
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

    /** p-th percentile (0..100) of the recorded latencies after the warm-up tenth. */
    static int percentile(double p) {
        int n = Math.min(COUNT.get(), CAPACITY);
        int from = n / 10;
        int[] a = Arrays.copyOfRange(LATENCIES, from, n);
        Arrays.sort(a);
        return a.length == 0 ? -1 : a[(int) Math.min(a.length - 1, Math.round(p / 100 * (a.length - 1)))];
    }
}
