package io.flinkrnn.operators.state;

import io.flinkrnn.stepper.KeyState;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's own serializer contract (copy, duplicate, snapshot and restore, stream reads) for the key state. */
class RnnKeyStateSerializerContractTest extends SerializerTestBase<KeyState> {
    @Override
    protected TypeSerializer<KeyState> createSerializer() {
        return RnnKeyStateSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<KeyState> getTypeClass() {
        return KeyState.class;
    }

    @Override
    protected KeyState[] getTestData() {
        return new KeyState[] {
            KeyState.fresh(0),
            KeyState.fresh(8),
            new KeyState(new float[] {1f, -2f, Float.MIN_VALUE}, 3, 1_700_000_000_000L, new float[] {5f}),
            new KeyState(new float[128], Long.MAX_VALUE, Long.MAX_VALUE, new float[] {1f, 2f, 3f, Float.NaN}),
        };
    }
}
