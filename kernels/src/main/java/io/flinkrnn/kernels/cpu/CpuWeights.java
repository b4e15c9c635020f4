package io.flinkrnn.kernels.cpu;

import io.flinkrnn.kernels.model.LayerWeights;
import io.flinkrnn.kernels.model.RnnModel;

/**
 * A model's weights laid out once for the Java kernels: each matrix transposed to [in][G*H] and kept as one
 * array per input row, so the inner loop of a product is an axpy over a contiguous row ({@code acc[j] +=
 * x_k * w_k[j]}) indexed exactly like its accumulator. JDK 17's auto-vectoriser only takes loops whose
 * arrays share one index; rows with an offset into a flat matrix stay scalar.
 */
final class CpuWeights {
    final int layers;
    final int hidden;
    final int gateWidth;
    final int horizon;
    /** Per layer: W_ih transposed, [in] rows of G*H. */
    final float[][][] wx;
    /** Per layer: W_hh transposed, [H] rows of G*H. */
    final float[][][] wh;
    final float[][] bx;
    final float[][] bh;
    /** Head weight transposed: [H] rows of horizon. */
    final float[][] head;
    final float[] headBias;

    CpuWeights(RnnModel model) {
        this.layers = model.layerCount();
        this.hidden = model.hiddenSize();
        this.gateWidth = model.cell().gates() * hidden;
        this.horizon = model.horizon();
        this.wx = new float[layers][][];
        this.wh = new float[layers][][];
        this.bx = new float[layers][];
        this.bh = new float[layers][];
        for (int l = 0; l < layers; l++) {
            LayerWeights lw = model.layer(l);
            int in = lw.inputSize();
            wx[l] = new float[in][gateWidth];
            wh[l] = new float[hidden][gateWidth];
            bx[l] = new float[gateWidth];
            bh[l] = new float[gateWidth];
            for (int row = 0; row < gateWidth; row++) {
                for (int k = 0; k < in; k++) {
                    wx[l][k][row] = lw.weightIh(row, k);
                }
                for (int k = 0; k < hidden; k++) {
                    wh[l][k][row] = lw.weightHh(row, k, hidden);
                }
                bx[l][row] = lw.biasIh(row);
                bh[l][row] = lw.biasHh(row);
            }
        }
        this.head = new float[hidden][horizon];
        this.headBias = new float[horizon];
        for (int n = 0; n < horizon; n++) {
            for (int k = 0; k < hidden; k++) {
                head[k][n] = model.headWeight(n, k);
            }
            headBias[n] = model.headBias(n);
        }
    }
}
