package io.flinkrnn.bench;

import io.flinkrnn.schemas.DeadLetter;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Counts dead letters (static: the MiniCluster runs in this JVM); a benchmark run must produce none. */
final class DeadLetterCounter implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    static final AtomicLong COUNT = new AtomicLong();

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(DeadLetter d, Context ctx) {
                COUNT.incrementAndGet();
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
