package io.flinkrnn.kernels.cpu;

import java.util.Arrays;

/**
 * The operations a step is made of, applied to a tile of up to {@link #TILE} keys at once. Two
 * implementations give identical bits: every output element is computed by the same sequence of correctly
 * rounded operations (a product is one chain of fused multiply-adds, one per input, in input order, however
 * the loops are blocked or vectorised). That is what makes a key's result independent of its batch, its
 * position in the batch and the thread count.
 */
abstract class TileMath {
    /** Keys per tile: two blocks of the register-blocked product's six rows. */
    static final int TILE = 12;

    /** A short name for logs and metrics. */
    abstract String name();

    /** Width of the weight panels {@link #gemm} reads ({@link WeightMatrix}); 0 when it reads rows only. */
    abstract int panelWidth();

    /**
     * out[r][j] += sum_k in[inOff + r*inStride + k] * w[k][j] for r < rows and j in [c0, c1), the sum taken in
     * order k = 0, 1, ... as fused multiply-adds starting from out[r][j]; when {@code bias} is not null, out
     * first takes bias[j]. Two calls in a row on the same out (the second without bias) make one chain over
     * both inputs, which is how a gate's input and recurrent products are fused.
     */
    final void gemm(int rows, float[] in, int inOff, int inStride, WeightMatrix w, float[] bias, int c0, int c1,
            float[][] out) {
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bias, c0, out[r], c0, c1 - c0);
            }
        }
        accumulate(rows, in, inOff, inStride, w, c0, c1, out);
    }

    /** Heads of up to this many outputs go through {@link #dense}; wider ones through {@link #gemm}. */
    static final int DENSE_MAX_OUTPUTS = 16;
    /** Partial sums of {@link #dense}'s dot products: a constant, not the vector width, so bits never vary. */
    static final int LANES = 16;

    /**
     * out[r][o] = bias[o] + sum_k in[inOff + r*inStride + k] * wt[o][k] for a narrow head, where {@link #gemm}
     * (vectorised across outputs) has too few columns to fill a vector and each output was one long chain of
     * dependent FMAs. Here the sum runs across k instead: partial sum l takes the k with k mod 16 = l, as
     * FMAs from 0 in order of k ({@link #dotLanes}); the 16 partials are then added pairwise at distance 8,
     * 4, 2 and 1, and the bias added last. Both implementations follow exactly this order.
     */
    final void dense(int rows, float[] in, int inOff, int inStride, float[][] wt, float[] bias, float[][] out,
            float[] lanes) {
        int k = wt[0].length;
        for (int r = 0; r < rows; r++) {
            int a = inOff + r * inStride;
            for (int o = 0; o < wt.length; o++) {
                dotLanes(in, a, wt[o], k, lanes);
                for (int width = LANES / 2; width > 0; width /= 2) {
                    for (int l = 0; l < width; l++) {
                        lanes[l] += lanes[l + width];
                    }
                }
                out[r][o] = bias[o] + lanes[0];
            }
        }
    }

    /** lanes[l] = sum of a[aOff + k] * w[k] over k < n with k mod {@link #LANES} = l, as FMAs from 0 in k order. */
    void dotLanes(float[] a, int aOff, float[] w, int n, float[] lanes) {
        Arrays.fill(lanes, 0, LANES, 0f);
        for (int base = 0; base < n; base += LANES) {
            int m = Math.min(LANES, n - base);
            for (int l = 0; l < m; l++) {
                lanes[l] = Math.fma(a[aOff + base + l], w[base + l], lanes[l]);
            }
        }
    }

    /** The product of {@link #gemm} into out as it stands. */
    abstract void accumulate(int rows, float[] in, int inOff, int inStride, WeightMatrix w, int c0, int c1,
            float[][] out);

    /**
     * LSTM from the gate sums (i, f, g, o blocks of {@code hidden}, input and recurrent parts already added);
     * writes the new c and h of each row into {@code state} at {@code stOff + r*stStride + cOff/hOff}.
     */
    abstract void lstmPointwise(float gateSlope, int rows, float[][] gates, int hidden, float[] state, int stOff,
            int stStride,
            int hOff, int cOff);

    /**
     * GRU update. {@code gates} holds the sums of r and z (blocks 0 and 1) and, in block 2, the candidate's
     * input part when {@code resetAfter} (then n = tanh(gates_n + r * hn_n), hn holding W_hn h + b_hn in its
     * block 2), or its whole sum otherwise (n = tanh(gates_n); hn unused). Writes the new h.
     */
    abstract void gruPointwise(float gateSlope, int rows, float[][] gates, float[][] hn, int hidden,
            boolean resetAfter,
            float[] state, int stOff, int stStride, int hOff);

    /** For the reset-before GRU: rh[r*hidden + j] = sigmoid(gates_r) * h_j. */
    void gruResetHidden(float gateSlope, int rows, float[][] gates, int hidden, float[] state, int stOff,
            int stStride, int hOff, float[] rh) {
        for (int r = 0; r < rows; r++) {
            float[] g = gates[r];
            int s = stOff + r * stStride + hOff;
            for (int j = 0; j < hidden; j++) {
                rh[r * hidden + j] = Activations.gate(g[j], gateSlope) * state[s + j];
            }
        }
    }

    /** The fastest implementation this JVM can run: the Vector API when its module is present. */
    static TileMath best() {
        return VectorSupport.vectorTileMath().orElseGet(ScalarTileMath::new);
    }

    // The per-element formulas, shared by both implementations' scalar parts so they cannot drift apart.

    static float lstmCell(float slope, float gi, float gf, float gg, float go, float c, float[] hOut, int hIdx) {
        float cn = Activations.gate(gf, slope) * c + Activations.gate(gi, slope) * Activations.tanh(gg);
        hOut[hIdx] = Activations.gate(go, slope) * Activations.tanh(cn);
        return cn;
    }

    static float gru(float slope, float pr, float pz, float xn, float hn, boolean resetAfter, float h) {
        float n = resetAfter ? Activations.tanh(xn + Activations.gate(pr, slope) * hn) : Activations.tanh(xn);
        float z = Activations.gate(pz, slope);
        return n + z * (h - n);
    }
}
