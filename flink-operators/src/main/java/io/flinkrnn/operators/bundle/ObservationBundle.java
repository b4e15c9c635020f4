package io.flinkrnn.operators.bundle;

import io.flinkrnn.schemas.Observation;

/**
 * The records buffered since the last flush, in arrival order, with their stream timestamps. Fixed
 * capacity ({@code batch.size}); the operator flushes when it is full, so it never grows.
 */
public final class ObservationBundle {
    private final Observation[] records;
    private final long[] timestamps;
    private final boolean[] hasTimestamp;
    private int size;

    public ObservationBundle(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("bundle capacity must be at least 1, got " + capacity);
        }
        records = new Observation[capacity];
        timestamps = new long[capacity];
        hasTimestamp = new boolean[capacity];
    }

    /** Appends a record with its stream timestamp, if it has one. */
    public void add(Observation record, boolean withTimestamp, long timestamp) {
        if (size == records.length) {
            throw new IllegalStateException("bundle is full (" + size + "): flush before adding");
        }
        records[size] = record;
        hasTimestamp[size] = withTimestamp;
        timestamps[size] = timestamp;
        size++;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == records.length;
    }

    public int capacity() {
        return records.length;
    }

    public Observation record(int i) {
        return records[i];
    }

    public boolean hasTimestamp(int i) {
        return hasTimestamp[i];
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    public void clear() {
        java.util.Arrays.fill(records, 0, size, null);
        size = 0;
    }
}
