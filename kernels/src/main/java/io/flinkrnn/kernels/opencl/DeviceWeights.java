package io.flinkrnn.kernels.opencl;

import io.flinkrnn.kernels.model.LayerWeights;
import io.flinkrnn.kernels.model.RnnModel;

/**
 * A model's weights flattened for the device kernels: every layer's W_ih transposed to [in][G*H] one after
 * another ({@link #wxOffset} gives each layer's start), W_hh transposed to [H][G*H] per layer, biases
 * [L][G*H], the head transposed to [H][outputSize]. Uploaded once and kept on the device.
 */
final class DeviceWeights {
    final int inputSize;
    final int hidden;
    final int layers;
    final int outputSize;
    final int stateSize;
    final float gateSlope;
    final float[] wx;
    final int[] wxOffset;
    final float[] wh;
    final float[] bx;
    final float[] bh;
    final float[] headW;
    final float[] headB;

    DeviceWeights(RnnModel model) {
        inputSize = model.inputSize();
        hidden = model.hiddenSize();
        layers = model.layerCount();
        outputSize = model.outputSize();
        stateSize = model.stateSize();
        gateSlope = model.gateActivation().hardSlope();
        int gw = model.cell().gates() * hidden;
        wxOffset = new int[layers];
        int total = 0;
        for (int l = 0; l < layers; l++) {
            wxOffset[l] = total;
            total += model.layer(l).inputSize() * gw;
        }
        wx = new float[total];
        wh = new float[layers * hidden * gw];
        bx = new float[layers * gw];
        bh = new float[layers * gw];
        for (int l = 0; l < layers; l++) {
            LayerWeights lw = model.layer(l);
            for (int row = 0; row < gw; row++) {
                for (int k = 0; k < lw.inputSize(); k++) {
                    wx[wxOffset[l] + k * gw + row] = lw.weightIh(row, k);
                }
                for (int k = 0; k < hidden; k++) {
                    wh[l * hidden * gw + k * gw + row] = lw.weightHh(row, k, hidden);
                }
                bx[l * gw + row] = lw.biasIh(row);
                bh[l * gw + row] = lw.biasHh(row);
            }
        }
        headW = new float[hidden * outputSize];
        headB = new float[outputSize];
        for (int n = 0; n < outputSize; n++) {
            for (int k = 0; k < hidden; k++) {
                headW[k * outputSize + n] = model.headWeight(n, k);
            }
            headB[n] = model.headBias(n);
        }
    }
}
