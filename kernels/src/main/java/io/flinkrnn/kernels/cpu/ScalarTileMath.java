package io.flinkrnn.kernels.cpu;

/**
 * Plain Java, no extra JVM flags: the products are axpy loops over transposed weight rows that C2
 * auto-vectorises (all arrays indexed by the same j). The pointwise parts stay scalar.
 */
final class ScalarTileMath extends TileMath {

    @Override
    String name() {
        return "java-autovec";
    }

    @Override
    int panelWidth() {
        return 0;
    }

    @Override
    void accumulate(int rows, float[] in, int inOff, int inStride, WeightMatrix wm, int c0, int c1,
            float[][] out) {
        float[][] w = wm.rows;
        int k = wm.inputs;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            float[] o0 = out[r];
            float[] o1 = out[r + 1];
            float[] o2 = out[r + 2];
            float[] o3 = out[r + 3];
            int base = inOff + r * inStride;
            for (int kk = 0; kk < k; kk++) {
                float x0 = in[base + kk];
                float x1 = in[base + inStride + kk];
                float x2 = in[base + 2 * inStride + kk];
                float x3 = in[base + 3 * inStride + kk];
                float[] wk = w[kk];
                for (int j = c0; j < c1; j++) {
                    float wv = wk[j];
                    o0[j] = Math.fma(x0, wv, o0[j]);
                    o1[j] = Math.fma(x1, wv, o1[j]);
                    o2[j] = Math.fma(x2, wv, o2[j]);
                    o3[j] = Math.fma(x3, wv, o3[j]);
                }
            }
        }
        for (; r < rows; r++) {
            float[] o = out[r];
            int base = inOff + r * inStride;
            for (int kk = 0; kk < k; kk++) {
                float x = in[base + kk];
                float[] wk = w[kk];
                for (int j = c0; j < c1; j++) {
                    o[j] = Math.fma(x, wk[j], o[j]);
                }
            }
        }
    }

    @Override
    void lstmPointwise(float gateSlope, int rows, float[][] gates, int hidden, float[] state, int stOff,
            int stStride, int hOff, int cOff) {
        for (int r = 0; r < rows; r++) {
            float[] g = gates[r];
            int s = stOff + r * stStride;
            for (int j = 0; j < hidden; j++) {
                state[s + cOff + j] = lstmCell(gateSlope, g[j], g[hidden + j], g[2 * hidden + j], g[3 * hidden + j],
                        state[s + cOff + j], state, s + hOff + j);
            }
        }
    }

    @Override
    void gruPointwise(float gateSlope, int rows, float[][] gates, float[][] hn, int hidden, boolean resetAfter,
            float[] state, int stOff, int stStride, int hOff) {
        for (int r = 0; r < rows; r++) {
            float[] g = gates[r];
            float[] n = resetAfter ? hn[r] : null;
            int s = stOff + r * stStride + hOff;
            for (int j = 0; j < hidden; j++) {
                state[s + j] = gru(gateSlope, g[j], g[hidden + j], g[2 * hidden + j], resetAfter ? n[2 * hidden + j] : 0f,
                        resetAfter, state[s + j]);
            }
        }
    }
}
