package io.flinkrnn.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorTileMath}'s pointwise passes for sigmoid gates: the LSTM and GRU cell updates over a tile of gate
 * pre-activations, with the Vector API. Each element sees the same correctly rounded operations, in the same
 * order, as {@link Activations} and {@link ScalarTileMath}; tails that do not fill a vector use the scalar
 * formulas. So the bits are the scalar path's.
 *
 * <p>The tanh and sigmoid loops here are a private copy of {@link VectorActivations}': calling that class from
 * these passes cost the inference step 19-23% (docs/BENCHMARKS.md), as C2 then stopped inlining the vector
 * helpers into them.
 */
final class VectorPointwise {
    // Species must be static final constants for C2 to intrinsify the vector operations.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final FloatVector P0 = FloatVector.broadcast(S, Activations.P0);
    private static final FloatVector P1 = FloatVector.broadcast(S, Activations.P1);
    private static final FloatVector P2 = FloatVector.broadcast(S, Activations.P2);
    private static final FloatVector P3 = FloatVector.broadcast(S, Activations.P3);
    private static final FloatVector P4 = FloatVector.broadcast(S, Activations.P4);
    private static final FloatVector Q1 = FloatVector.broadcast(S, Activations.Q1);
    private static final FloatVector Q2 = FloatVector.broadcast(S, Activations.Q2);
    private static final FloatVector Q3 = FloatVector.broadcast(S, Activations.Q3);
    private static final FloatVector Q4 = FloatVector.broadcast(S, Activations.Q4);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    private VectorPointwise() {
    }

    private static FloatVector tanh(FloatVector x) {
        FloatVector c = x.max(-Activations.CLAMP).min(Activations.CLAMP);
        FloatVector x2 = c.mul(c);
        // Horner's rule in fused multiply-adds, in Activations.tanh's order. The coefficients are vector
        // constants: broadcasting them here added enough nodes for C2 to stop inlining sigmoid into the
        // pointwise passes (NodeCountInliningCutoff), and an out-of-line vector helper boxes every vector.
        FloatVector p = x2.fma(P4, P3).fma(x2, P2).fma(x2, P1).fma(x2, P0);
        FloatVector q = x2.fma(Q4, Q3).fma(x2, Q2).fma(x2, Q1).fma(x2, ONE);
        return c.mul(p).div(q);
    }

    private static FloatVector sigmoid(FloatVector x) {
        return tanh(x.mul(0.5f)).fma(0.5f, 0.5f);
    }

    private static void sigmoidInPlace(float[] a, int from, int to) {
        int j = from;
        for (; j + L <= to; j += L) {
            sigmoid(FloatVector.fromArray(S, a, j)).intoArray(a, j);
        }
        for (; j < to; j++) {
            a[j] = Activations.sigmoid(a[j]);
        }
    }

    private static void tanhInPlace(float[] a, int from, int to) {
        int j = from;
        for (; j + L <= to; j += L) {
            tanh(FloatVector.fromArray(S, a, j)).intoArray(a, j);
        }
        for (; j < to; j++) {
            a[j] = Activations.tanh(a[j]);
        }
    }

    // The pointwise work runs as small single-loop passes, and vector-valued helpers (tanh, sigmoid) are only
    // called from those tiny loops. If C2 declines to inline such a helper it compiles it on its own, where
    // the argument's exact vector class is unknown, the intrinsics fail, and every operation allocates: one
    // loop evaluating five activations ran far slower. Each element still sees the same operations.

    /** {@link TileMath#lstmPointwise} for sigmoid gates. */
    static void lstm(int rows, float[][] gates, int hidden, float[] state, int stOff, int stStride, int hOff,
            int cOff) {
        for (int r = 0; r < rows; r++) {
            float[] g = gates[r];
            sigmoidInPlace(g, 0, 2 * hidden);
            tanhInPlace(g, 2 * hidden, 3 * hidden);
            sigmoidInPlace(g, 3 * hidden, 4 * hidden);
            int s = stOff + r * stStride;
            // c' = f * c + i * g, kept in the state and in g's block (g is used up), then h = o * tanh(c').
            int j = 0;
            for (; j + L <= hidden; j += L) {
                FloatVector cn = FloatVector.fromArray(S, g, hidden + j).mul(FloatVector.fromArray(S, state, s + cOff + j))
                        .add(FloatVector.fromArray(S, g, j).mul(FloatVector.fromArray(S, g, 2 * hidden + j)));
                cn.intoArray(state, s + cOff + j);
                cn.intoArray(g, 2 * hidden + j);
            }
            for (; j < hidden; j++) {
                float cn = g[hidden + j] * state[s + cOff + j] + g[j] * g[2 * hidden + j];
                state[s + cOff + j] = cn;
                g[2 * hidden + j] = cn;
            }
            tanhInPlace(g, 2 * hidden, 3 * hidden);
            j = 0;
            for (; j + L <= hidden; j += L) {
                FloatVector.fromArray(S, g, 3 * hidden + j).mul(FloatVector.fromArray(S, g, 2 * hidden + j))
                        .intoArray(state, s + hOff + j);
            }
            for (; j < hidden; j++) {
                state[s + hOff + j] = g[3 * hidden + j] * g[2 * hidden + j];
            }
        }
    }

    /** {@link TileMath#gruPointwise} for sigmoid gates. */
    static void gru(int rows, float[][] gates, float[][] hn, int hidden, boolean resetAfter, float[] state,
            int stOff, int stStride, int hOff) {
        for (int r = 0; r < rows; r++) {
            float[] x = gates[r];
            // x[0, 2H) becomes the gates r and z (r only when it still has to be applied); x[2H, 3H) the
            // candidate n.
            sigmoidInPlace(x, resetAfter ? 0 : hidden, 2 * hidden);
            int j = 0;
            if (resetAfter) {
                float[] h = hn[r];
                for (; j + L <= hidden; j += L) {
                    FloatVector.fromArray(S, x, 2 * hidden + j)
                            .add(FloatVector.fromArray(S, x, j).mul(FloatVector.fromArray(S, h, 2 * hidden + j)))
                            .intoArray(x, 2 * hidden + j);
                }
                for (; j < hidden; j++) {
                    x[2 * hidden + j] = x[2 * hidden + j] + x[j] * h[2 * hidden + j];
                }
            }
            tanhInPlace(x, 2 * hidden, 3 * hidden);
            int s = stOff + r * stStride + hOff;
            j = 0;
            for (; j + L <= hidden; j += L) {
                FloatVector n = FloatVector.fromArray(S, x, 2 * hidden + j);
                FloatVector hOld = FloatVector.fromArray(S, state, s + j);
                n.add(FloatVector.fromArray(S, x, hidden + j).mul(hOld.sub(n))).intoArray(state, s + j);
            }
            for (; j < hidden; j++) {
                float n = x[2 * hidden + j];
                state[s + j] = n + x[hidden + j] * (state[s + j] - n);
            }
        }
    }
}
