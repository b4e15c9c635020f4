package io.flinkrnn.kernels.cpu;

/**
 * Float tanh and sigmoid that vectorise: a rational minimax fit tanh(x) ~ x P(x^2) / Q(x^2) on [-9, 9],
 * clamped outside (float tanh is within 6e-8 of +-1 there). Max abs error 3.4e-7 against double tanh, and
 * built only from mul, fused multiply-add (Horner's rule), div, min and max, which are correctly rounded
 * everywhere: the scalar code here and {@link VectorTileMath}'s lane-wise code produce the same bits.
 * {@code Math.tanh}/{@code Math.exp} are scalar double-precision calls and would cost more than the matrix
 * products of a step.
 *
 * <p>sigmoid(x) = 0.5 tanh(x / 2) + 0.5 (an identity), so its abs error is at most 1.7e-7. The gates use
 * {@link #gate}: this sigmoid, or a hard sigmoid clip(fma(x, slope, 0.5), 0, 1) (Keras), exact in float.
 */
public final class Activations {
    /** Inputs are clamped to [-CLAMP, CLAMP]; NaN stays NaN. */
    public static final float CLAMP = 9f;
    public static final float P0 = 0.9999998807907104f;
    public static final float P1 = 0.13373149931430817f;
    public static final float P2 = 0.0034865280613303185f;
    public static final float P3 = 2.0471034076763317e-05f;
    public static final float P4 = 1.3183298008812017e-08f;
    public static final float Q1 = 0.4670644700527191f;
    public static final float Q2 = 0.025841768831014633f;
    public static final float Q3 = 0.0003271301102358848f;
    public static final float Q4 = 7.702246875851415e-07f;

    private Activations() {
    }

    public static float tanh(float x) {
        float c = Math.max(-CLAMP, Math.min(CLAMP, x));
        float x2 = c * c;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(x2, P4, P3), x2, P2), x2, P1), x2, P0);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(x2, Q4, Q3), x2, Q2), x2, Q1), x2, 1f);
        return c * p / q;
    }

    public static float sigmoid(float x) {
        return Math.fma(tanh(0.5f * x), 0.5f, 0.5f);
    }

    /** A gate's activation: the sigmoid when {@code hardSlope} is 0, else the hard sigmoid of that slope. */
    public static float gate(float x, float hardSlope) {
        return hardSlope == 0f ? sigmoid(x) : Math.min(1f, Math.max(0f, Math.fma(x, hardSlope, 0.5f)));
    }
}
