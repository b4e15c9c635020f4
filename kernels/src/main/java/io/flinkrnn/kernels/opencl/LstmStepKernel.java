package io.flinkrnn.kernels.opencl;

/**
 * The LSTM step on an OpenCL device: one launch per layer ({@code pass} = layer), one work item per (key,
 * unit) computing that unit's four gates, then one launch for the head ({@code pass} = layers). States are
 * double-buffered ({@code stateIn} old, {@code stateOut} new) because every unit of a key reads the key's
 * whole old h. Weights are transposed to [input][4H] so that neighbouring work items read neighbouring
 * floats (coalesced on a GPU).
 */
final class LstmStepKernel extends StepKernel {
    LstmStepKernel(DeviceWeights w, int capacity) {
        super(w, capacity);
    }

    @Override
    public void run() {
        int gid = getGlobalId();
        if (pass < layers) {
            if (gid < batch * hidden) {
                layer(gid);
            }
        } else if (gid < batch * outputSize) {
            head(gid);
        }
    }

    private void layer(int gid) {
        int b = gid / hidden;
        int j = gid - b * hidden;
        int gw = 4 * hidden;
        int l = pass;
        int bo = l * gw + j;
        float xi = bx[bo];
        float xf = bx[bo + hidden];
        float xg = bx[bo + 2 * hidden];
        float xo = bx[bo + 3 * hidden];
        float hi = bh[bo];
        float hf = bh[bo + hidden];
        float hg = bh[bo + 2 * hidden];
        float ho = bh[bo + 3 * hidden];
        int in = inputSize;
        int inBase = b * inputSize;
        if (l > 0) {
            in = hidden;
            inBase = b * stateSize + (l - 1) * hidden;
        }
        int wo = wxOffset[l] + j;
        for (int k = 0; k < in; k++) {
            float v = 0f;
            if (l == 0) {
                v = x[inBase + k];
            } else {
                v = stateOut[inBase + k];
            }
            xi += v * wx[wo];
            xf += v * wx[wo + hidden];
            xg += v * wx[wo + 2 * hidden];
            xo += v * wx[wo + 3 * hidden];
            wo += gw;
        }
        int hBase = b * stateSize + l * hidden;
        int ro = l * hidden * gw + j;
        for (int k = 0; k < hidden; k++) {
            float v = stateIn[hBase + k];
            hi += v * wh[ro];
            hf += v * wh[ro + hidden];
            hg += v * wh[ro + 2 * hidden];
            ho += v * wh[ro + 3 * hidden];
            ro += gw;
        }
        int cIdx = b * stateSize + (layers + l) * hidden + j;
        float c = gate(xf + hf) * stateIn[cIdx] + gate(xi + hi) * tanhf(xg + hg);
        stateOut[cIdx] = c;
        stateOut[hBase + j] = gate(xo + ho) * tanhf(c);
    }
}
