package io.flinkrnn.operators.state;

import java.io.IOException;
import io.flinkrnn.stepper.KeyState;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer's entry in a checkpoint or savepoint. It carries no configuration; its version says which
 * serializer wrote the state. Version 1 is current; because each value carries its own format byte, state
 * written by any known version is read as is ({@code compatibleAsIs}).
 */
public final class RnnKeyStateSerializerSnapshot implements TypeSerializerSnapshot<KeyState> {
    static final int VERSION = 1;

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {
        // nothing to write: the serializer has no parameters
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion < 1 || readVersion > VERSION) {
            throw new IOException("RnnKeyState serializer snapshot version " + readVersion
                    + " is not known to this flink-rnn (knows 1.." + VERSION + ")");
        }
    }

    @Override
    public TypeSerializer<KeyState> restoreSerializer() {
        return RnnKeyStateSerializer.INSTANCE;
    }

    @Override
    public TypeSerializerSchemaCompatibility<KeyState> resolveSchemaCompatibility(
            TypeSerializerSnapshot<KeyState> oldSerializerSnapshot) {
        if (oldSerializerSnapshot instanceof RnnKeyStateSerializerSnapshot) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }
}
