package io.flinkrnn.operators.update;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Where a job's model updates come from: a log that every operator instance reads whole (each instance sees
 * every update), up to its end at the moment it asks. Reading to the end at a well-defined point, rather than
 * receiving updates as a broadcast stream whose arrival interleaves with the observations differently on every
 * run, is what makes the switch rule of {@link ModelUpdates} reproducible after a failover.
 */
public interface ModelUpdateFeed extends Serializable {
    /** One record of the log, undecoded: a bad one is reported with where it was. */
    final class Record {
        public final String source;
        public final int partition;
        public final long offset;
        public final byte[] value;

        public Record(String source, int partition, long offset, byte[] value) {
            this.source = source;
            this.partition = partition;
            this.offset = offset;
            this.value = value;
        }
    }

    /** An open reader of the log; not thread-safe, one per operator instance. */
    interface Reader extends AutoCloseable {
        /**
         * Every record appended to the log before this call began and not returned yet, in log order per
         * partition; fails (and with it the task, which restarts from its last checkpoint) when the log cannot be
         * read to its end within the feed's timeout, since the switch rule cannot be kept then.
         */
        List<Record> readToEnd() throws IOException;

        /** The next offset to read, per partition: saved in checkpoints, handed back to {@link #open}. */
        Map<Integer, Long> positions();

        @Override
        void close();
    }

    /** Opens a reader at {@code from} (partitions missing there start at the log's beginning). */
    Reader open(Map<Integer, Long> from) throws IOException;

    /** Names the log in logs and reports, e.g. {@code kafka:model-updates}. */
    String describe();
}
