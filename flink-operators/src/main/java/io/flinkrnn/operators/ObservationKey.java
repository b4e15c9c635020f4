package io.flinkrnn.operators;

import io.flinkrnn.schemas.Observation;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys observations by their {@code key} field. A record without a key (null) is keyed by the empty string
 * instead of failing the key hash: the operator turns every blank key into a MISSING_KEY dead letter, so such
 * records must reach it, and all of them land in one key group.
 */
public final class ObservationKey implements KeySelector<Observation, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Observation value) {
        String key = value.getKey();
        return key == null ? "" : key;
    }
}
