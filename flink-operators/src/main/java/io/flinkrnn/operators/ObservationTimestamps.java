package io.flinkrnn.operators;

import io.flinkrnn.schemas.Observation;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Event time of an observation, for watermarks in event-time ordering mode. */
public final class ObservationTimestamps implements SerializableTimestampAssigner<Observation> {
    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(Observation element, long recordTimestamp) {
        return element.getEventTime().toEpochMilli();
    }
}
