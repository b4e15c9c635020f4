package io.flinkrnn.operators;

import io.flinkrnn.schemas.Observation;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys observations by their {@code key} field. */
public final class ObservationKey implements KeySelector<Observation, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Observation value) {
        return value.getKey();
    }
}
