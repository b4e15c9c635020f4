package io.flinkrnn.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Activations}' tanh and sigmoid over a range of a float array with the Vector API, giving the same
 * bits as the scalar functions element by element (the same correctly rounded operations in the same order),
 * for the trainer's float32 path. {@link VectorPointwise} keeps its own private copy of these loops: calling this
 * class from its pointwise passes instead cost the inference step 19-23% in two one-JVM A/B runs (bench/ab, LSTM
 * 256 x 8 -> 64, one thread), as C2 then stopped inlining the vector helpers into those passes.
 *
 * <p>Only the array loops are visible outside: the vector-valued helpers are called from those tiny loops
 * alone. If C2 declines to inline such a helper it compiles it on its own, where the argument's exact vector
 * class is unknown, the intrinsics fail, and every operation allocates.
 */
public final class VectorActivations {
    // Species must be static final constants for C2 to intrinsify the vector operations.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    // The coefficients are vector constants: broadcasting them in tanh added enough nodes for C2 to stop
    // inlining sigmoid into the pointwise passes (NodeCountInliningCutoff).
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

    private VectorActivations() {
    }

    private static FloatVector tanh(FloatVector x) {
        FloatVector c = x.max(-Activations.CLAMP).min(Activations.CLAMP);
        FloatVector x2 = c.mul(c);
        // Horner's rule in fused multiply-adds, in Activations.tanh's order.
        FloatVector p = x2.fma(P4, P3).fma(x2, P2).fma(x2, P1).fma(x2, P0);
        FloatVector q = x2.fma(Q4, Q3).fma(x2, Q2).fma(x2, Q1).fma(x2, ONE);
        return c.mul(p).div(q);
    }

    private static FloatVector sigmoid(FloatVector x) {
        return tanh(x.mul(0.5f)).fma(0.5f, 0.5f);
    }

    /** {@code a[j] = Activations.sigmoid(a[j])} for j in [from, to). */
    public static void sigmoidInPlace(float[] a, int from, int to) {
        int j = from;
        for (; j + L <= to; j += L) {
            sigmoid(FloatVector.fromArray(S, a, j)).intoArray(a, j);
        }
        for (; j < to; j++) {
            a[j] = Activations.sigmoid(a[j]);
        }
    }

    /** {@code a[j] = Activations.tanh(a[j])} for j in [from, to). */
    public static void tanhInPlace(float[] a, int from, int to) {
        int j = from;
        for (; j + L <= to; j += L) {
            tanh(FloatVector.fromArray(S, a, j)).intoArray(a, j);
        }
        for (; j < to; j++) {
            a[j] = Activations.tanh(a[j]);
        }
    }
}
