package io.flinkrnn.kernels.cpu;

import io.flinkrnn.kernels.model.LayerWeights;
import io.flinkrnn.kernels.model.RnnModel;

/**
 * A model's weights laid out once for the Java kernels ({@link WeightMatrix}), with the two biases of each
 * layer also summed: where a gate's input and recurrent products feed the same sum, the kernels compute it as
 * one chain of fused multiply-adds that starts at b_ih + b_hh, runs over the input, then over h.
 */
final class CpuWeights {
    final int layers;
    final int hidden;
    final int gateWidth;
    final int outputSize;
    /** Per layer: W_ih. */
    final WeightMatrix[] wx;
    /** Per layer: W_hh. */
    final WeightMatrix[] wh;
    final float[][] bx;
    final float[][] bh;
    /** Per layer: b_ih + b_hh, rounded to float once. */
    final float[][] bsum;
    /**
     * The head in exactly one of two layouts, chosen by its width: for up to {@link
     * TileMath#DENSE_MAX_OUTPUTS} outputs transposed, [output][hidden], for {@link TileMath#dense} (then
     * {@code head} is null); wider, as a {@link WeightMatrix} for {@link TileMath#gemm} (then
     * {@code headByOutput} is null).
     */
    final WeightMatrix head;
    final float[][] headByOutput;
    final float[] headBias;

    CpuWeights(RnnModel model, int panelWidth) {
        this.layers = model.layerCount();
        this.hidden = model.hiddenSize();
        this.gateWidth = model.cell().gates() * hidden;
        this.outputSize = model.outputSize();
        this.wx = new WeightMatrix[layers];
        this.wh = new WeightMatrix[layers];
        this.bx = new float[layers][gateWidth];
        this.bh = new float[layers][gateWidth];
        this.bsum = new float[layers][gateWidth];
        for (int l = 0; l < layers; l++) {
            LayerWeights lw = model.layer(l);
            wx[l] = new WeightMatrix(lw.inputSize(), gateWidth, panelWidth, lw::weightIh);
            wh[l] = new WeightMatrix(hidden, gateWidth, panelWidth, (row, k) -> lw.weightHh(row, k, hidden));
            for (int row = 0; row < gateWidth; row++) {
                bx[l][row] = lw.biasIh(row);
                bh[l][row] = lw.biasHh(row);
                bsum[l][row] = bx[l][row] + bh[l][row];
            }
        }
        boolean dense = outputSize <= TileMath.DENSE_MAX_OUTPUTS;
        this.head = dense ? null : new WeightMatrix(hidden, outputSize, panelWidth, model::headWeight);
        this.headByOutput = dense ? new float[outputSize][hidden] : null;
        this.headBias = new float[outputSize];
        for (int n = 0; n < outputSize; n++) {
            headBias[n] = model.headBias(n);
            for (int k = 0; dense && k < hidden; k++) {
                headByOutput[n][k] = model.headWeight(n, k);
            }
        }
    }
}
