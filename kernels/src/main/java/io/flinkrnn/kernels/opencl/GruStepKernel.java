package io.flinkrnn.kernels.opencl;

/**
 * The GRU step on an OpenCL device, one work item per (key, unit). With the reset applied after the
 * recurrent product (PyTorch) a layer is one launch. With the reset applied before it, the candidate needs
 * W_hn (r * h) over all units, so {@code phase} 0 first writes r * h into {@code resetHidden}, and
 * {@code phase} 1 then computes the update.
 */
final class GruStepKernel extends StepKernel {
    private final int resetAfter;

    GruStepKernel(DeviceWeights w, int capacity, boolean resetAfter) {
        super(w, capacity);
        this.resetAfter = resetAfter ? 1 : 0;
    }

    @Override
    public void run() {
        int gid = getGlobalId();
        if (pass < layers) {
            if (gid < batch * hidden) {
                if (phase == 0) {
                    resetGate(gid);
                } else {
                    layer(gid);
                }
            }
        } else if (gid < batch * outputSize) {
            head(gid);
        }
    }

    /** The input-side product of gate block g (0 r, 1 z, 2 n) for unit j of key b, bias included. */
    private float inputProduct(int b, int j, int g) {
        int gw = 3 * hidden;
        int l = pass;
        float acc = bx[l * gw + g * hidden + j];
        int in = inputSize;
        int inBase = b * inputSize;
        if (l > 0) {
            in = hidden;
            inBase = b * stateSize + (l - 1) * hidden;
        }
        int wo = wxOffset[l] + g * hidden + j;
        for (int k = 0; k < in; k++) {
            float v = 0f;
            if (l == 0) {
                v = x[inBase + k];
            } else {
                v = stateOut[inBase + k];
            }
            acc += v * wx[wo];
            wo += gw;
        }
        return acc;
    }

    /** The recurrent product of gate block g over h (source 0) or over r * h (source 1), bias included. */
    private float hiddenProduct(int b, int j, int g, int source) {
        int gw = 3 * hidden;
        int l = pass;
        float acc = bh[l * gw + g * hidden + j];
        int hBase = b * stateSize + l * hidden;
        int ro = l * hidden * gw + g * hidden + j;
        for (int k = 0; k < hidden; k++) {
            float v = 0f;
            if (source == 0) {
                v = stateIn[hBase + k];
            } else {
                v = resetHidden[b * hidden + k];
            }
            acc += v * wh[ro];
            ro += gw;
        }
        return acc;
    }

    private void resetGate(int gid) {
        int b = gid / hidden;
        int j = gid - b * hidden;
        float r = gate(inputProduct(b, j, 0) + hiddenProduct(b, j, 0, 0));
        resetHidden[gid] = r * stateIn[b * stateSize + pass * hidden + j];
    }

    private void layer(int gid) {
        int b = gid / hidden;
        int j = gid - b * hidden;
        float z = gate(inputProduct(b, j, 1) + hiddenProduct(b, j, 1, 0));
        float n = 0f;
        if (resetAfter == 1) {
            float r = gate(inputProduct(b, j, 0) + hiddenProduct(b, j, 0, 0));
            n = tanhf(inputProduct(b, j, 2) + r * hiddenProduct(b, j, 2, 0));
        } else {
            n = tanhf(inputProduct(b, j, 2) + hiddenProduct(b, j, 2, 1));
        }
        int hIdx = b * stateSize + pass * hidden + j;
        float h = stateIn[hIdx];
        stateOut[hIdx] = n + z * (h - n);
    }
}
