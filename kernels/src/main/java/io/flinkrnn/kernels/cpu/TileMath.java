package io.flinkrnn.kernels.cpu;

/**
 * The three operations a step is made of, applied to a tile of up to {@link #TILE} keys at once. Two
 * implementations give identical bits: every output element is computed by the same sequence of correctly
 * rounded operations (a product starts from the bias and adds one fused multiply-add per input, in input
 * order), however the loops are blocked or vectorised. That is what makes a key's result independent of its
 * batch, its position in the batch and the thread count.
 */
abstract class TileMath {
    /** Keys per tile: a tile's rows share each weight load in the register-blocked product. */
    static final int TILE = 8;

    /** A short name for logs and metrics. */
    abstract String name();

    /**
     * out[r][j] = bias[j] + sum_k in[inOff + r*inStride + k] * w[k][j], for r < rows and j in [c0, c1), the
     * sum taken in order k = 0, 1, ... as fused multiply-adds.
     */
    abstract void gemm(int rows, float[] in, int inOff, int inStride, int k, float[][] w, float[] bias,
            int c0, int c1, float[][] out);

    /**
     * LSTM gates (i, f, g, o blocks of {@code hidden}) from the input and recurrent products; writes the new
     * c and h of each row into {@code state} at {@code stOff + r*stStride + cOff/hOff}.
     */
    abstract void lstmPointwise(int rows, float[][] ax, float[][] ah, int hidden, float[] state, int stOff,
            int stStride, int hOff, int cOff);

    /**
     * GRU update from the products (r, z, n blocks). With {@code resetAfter}, n = tanh(ax_n + r * ah_n);
     * otherwise ah_n already is W_hn (r * h) + b_hn and n = tanh(ax_n + ah_n). Writes the new h.
     */
    abstract void gruPointwise(int rows, float[][] ax, float[][] ah, int hidden, boolean resetAfter,
            float[] state, int stOff, int stStride, int hOff);

    /** For the reset-before GRU: rh[r*hidden + j] = sigmoid(ax_r + ah_r) * h_j. */
    void gruResetHidden(int rows, float[][] ax, float[][] ah, int hidden, float[] state, int stOff,
            int stStride, int hOff, float[] rh) {
        for (int r = 0; r < rows; r++) {
            float[] x = ax[r];
            float[] h = ah[r];
            int s = stOff + r * stStride + hOff;
            for (int j = 0; j < hidden; j++) {
                rh[r * hidden + j] = Activations.sigmoid(x[j] + h[j]) * state[s + j];
            }
        }
    }

    /** The fastest implementation this JVM can run: the Vector API when its module is present. */
    static TileMath best() {
        return VectorSupport.vectorTileMath().orElseGet(ScalarTileMath::new);
    }

    // The per-element formulas, shared by both implementations' scalar parts so they cannot drift apart.

    static float lstmCell(float gi, float gf, float gg, float go, float c, float[] hOut, int hIdx) {
        float cn = Activations.sigmoid(gf) * c + Activations.sigmoid(gi) * Activations.tanh(gg);
        hOut[hIdx] = Activations.sigmoid(go) * Activations.tanh(cn);
        return cn;
    }

    static float gru(float xr, float hr, float xz, float hz, float xn, float hn, boolean resetAfter, float h) {
        float n = resetAfter
                ? Activations.tanh(xn + Activations.sigmoid(xr + hr) * hn)
                : Activations.tanh(xn + hn);
        float z = Activations.sigmoid(xz + hz);
        return n + z * (h - n);
    }
}
