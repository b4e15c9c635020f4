package io.flinkrnn.models.train;

/**
 * The parameters in float32 for one mini-batch, with each weight matrix also transposed ([in][gates x hidden],
 * [hidden][outputs]), so that the forward products stream rows of the weights while the batch's rows are
 * broadcast. Made once per batch from the double master copy the optimizer keeps; read-only while the shards
 * of the batch run.
 */
final class BatchParameters {
    final ParameterLayout lay;
    final float[] p;
    final float[][] wIhT;
    final float[][] wHhT;
    final float[] headWT;

    BatchParameters(ParameterLayout lay) {
        this.lay = lay;
        p = new float[lay.size()];
        wIhT = new float[lay.layers][];
        wHhT = new float[lay.layers][];
        int gh = lay.gates * lay.hidden;
        for (int l = 0; l < lay.layers; l++) {
            wIhT[l] = new float[lay.layerInput(l) * gh];
            wHhT[l] = new float[lay.hidden * gh];
        }
        headWT = new float[lay.hidden * lay.outputs];
    }

    /** Rounds {@code master} to float32 and transposes the weights. */
    BatchParameters load(double[] master) {
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) master[i];
        }
        int gh = lay.gates * lay.hidden;
        for (int l = 0; l < lay.layers; l++) {
            transpose(p, lay.wIh(l), gh, lay.layerInput(l), wIhT[l]);
            transpose(p, lay.wHh(l), gh, lay.hidden, wHhT[l]);
        }
        transpose(p, lay.headW, lay.outputs, lay.hidden, headWT);
        return this;
    }

    /** {@code to[c][r] = from[at + r*cols + c]}. */
    private static void transpose(float[] from, int at, int rows, int cols, float[] to) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                to[c * rows + r] = from[at + r * cols + c];
            }
        }
    }
}
