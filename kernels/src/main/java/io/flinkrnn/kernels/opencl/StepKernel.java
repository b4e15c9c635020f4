package io.flinkrnn.kernels.opencl;

import com.aparapi.Kernel;

/**
 * What the LSTM and GRU kernels share: the device-resident buffers, the sizes, the head and the
 * activations. Aparapi turns {@code run()} and the methods it calls into OpenCL C, so everything here keeps
 * to its rules (STACK.md): final primitive arrays, no objects, float literals, {@code Kernel} math helpers,
 * and no writes to scalar fields inside {@code run()}. The scalar fields {@code pass}, {@code phase} and
 * {@code batch} are set by the host before each launch and travel as kernel arguments.
 */
abstract class StepKernel extends Kernel {
    final int inputSize;
    final int hidden;
    final int layers;
    final int outputSize;
    final int stateSize;
    final int capacity;
    /** The gates' hard-sigmoid slope; 0 for the logistic sigmoid. */
    final float gateSlope;

    final float[] wx;
    final int[] wxOffset;
    final float[] wh;
    final float[] bx;
    final float[] bh;
    final float[] headW;
    final float[] headB;

    final float[] x;
    final float[] stateIn;
    final float[] stateOut;
    final float[] out;
    final float[] resetHidden;

    /** Layer to step (0..layers-1), or {@code layers} for the head. */
    int pass;
    /** GRU reset-before only: 0 computes r * h, 1 the update. */
    int phase;
    /** Keys in this launch (at most {@code capacity}). */
    int batch;

    StepKernel(DeviceWeights w, int capacity) {
        this.inputSize = w.inputSize;
        this.hidden = w.hidden;
        this.layers = w.layers;
        this.outputSize = w.outputSize;
        this.stateSize = w.stateSize;
        this.capacity = capacity;
        this.gateSlope = w.gateSlope;
        this.wx = w.wx;
        this.wxOffset = w.wxOffset;
        this.wh = w.wh;
        this.bx = w.bx;
        this.bh = w.bh;
        this.headW = w.headW;
        this.headB = w.headB;
        this.x = new float[capacity * inputSize];
        this.stateIn = new float[capacity * stateSize];
        this.stateOut = new float[capacity * stateSize];
        this.out = new float[capacity * outputSize];
        this.resetHidden = new float[capacity * hidden];
    }

    /** head output n of key b: headB[n] + sum_k h_last[k] * W[n][k], over the new states. */
    void head(int gid) {
        int b = gid / outputSize;
        int n = gid - b * outputSize;
        float acc = headB[n];
        int hBase = b * stateSize + (layers - 1) * hidden;
        for (int k = 0; k < hidden; k++) {
            acc += stateOut[hBase + k] * headW[k * outputSize + n];
        }
        out[gid] = acc;
    }

    /** The same rational tanh as the Java backend (Activations), so the two agree to a few ulp. */
    float tanhf(float v) {
        float c = max(-9f, min(9f, v));
        float x2 = c * c;
        float p = (((1.3183298008812017e-08f * x2 + 2.0471034076763317e-05f) * x2 + 0.0034865280613303185f) * x2
                + 0.13373149931430817f) * x2 + 0.9999998807907104f;
        float q = (((7.702246875851415e-07f * x2 + 0.0003271301102358848f) * x2 + 0.025841768831014633f) * x2
                + 0.4670644700527191f) * x2 + 1f;
        return c * p / q;
    }

    float sigmoid(float v) {
        return 0.5f * tanhf(0.5f * v) + 0.5f;
    }

    /** A gate's activation: the sigmoid, or the hard sigmoid clip(v * slope + 0.5, 0, 1) of Keras. */
    float gate(float v) {
        float g = 0f;
        if (gateSlope == 0f) {
            g = sigmoid(v);
        } else {
            g = min(1f, max(0f, v * gateSlope + 0.5f));
        }
        return g;
    }
}
