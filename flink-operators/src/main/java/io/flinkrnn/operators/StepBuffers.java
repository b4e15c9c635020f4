package io.flinkrnn.operators;

import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.Observation;
import java.util.ArrayList;
import java.util.List;

/**
 * The flat arrays one wave is gathered into for the kernel call, allocated once per operator. The model's
 * normalization is applied on the way in and undone on the way out.
 */
final class StepBuffers {
    final float[] inputs;
    final float[] states;
    final float[] outputs;
    private final int inputSize;
    private final int stateSize;
    private final int horizon;
    private final Normalization norm;

    StepBuffers(RnnModel model, int capacity) {
        inputSize = model.inputSize();
        stateSize = model.stateSize();
        horizon = model.horizon();
        norm = model.normalization();
        inputs = new float[capacity * inputSize];
        states = new float[capacity * stateSize];
        outputs = new float[capacity * horizon];
    }

    void load(int row, Observation o, float[] recurrent) {
        List<Float> v = o.getValues();
        for (int i = 0; i < inputSize; i++) {
            inputs[row * inputSize + i] = norm.normalizeInput(i, v.get(i));
        }
        System.arraycopy(recurrent, 0, states, row * stateSize, stateSize);
    }

    void storeState(int row, float[] recurrent) {
        System.arraycopy(states, row * stateSize, recurrent, 0, stateSize);
    }

    List<Float> outputs(int row) {
        List<Float> out = new ArrayList<>(horizon);
        for (int i = 0; i < horizon; i++) {
            out.add(norm.denormalizeOutput(i, outputs[row * horizon + i]));
        }
        return out;
    }
}
