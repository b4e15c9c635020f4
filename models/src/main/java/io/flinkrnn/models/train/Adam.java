package io.flinkrnn.models.train;

/**
 * Adam (Kingma and Ba) with bias correction over a flat parameter array, after clipping the gradient to a
 * global L2 norm. Plain loops over flat arrays; the same bits for the same gradients.
 */
final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    private final double learningRate;
    private final double clipNorm;
    private final double[] m;
    private final double[] v;
    private long t;

    Adam(int size, double learningRate, double clipNorm) {
        this.learningRate = learningRate;
        this.clipNorm = clipNorm;
        this.m = new double[size];
        this.v = new double[size];
    }

    /**
     * One update of {@code p} with gradient {@code grad} (scaled first, then clipped).
     *
     * @return the gradient norm before clipping
     */
    double step(double[] p, double[] grad, double scale) {
        double sq = 0;
        for (int i = 0; i < grad.length; i++) {
            grad[i] *= scale;
            sq += grad[i] * grad[i];
        }
        double norm = Math.sqrt(sq);
        double clip = norm > clipNorm ? clipNorm / norm : 1;
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < p.length; i++) {
            double g = grad[i] * clip;
            m[i] = BETA1 * m[i] + (1 - BETA1) * g;
            v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
            p[i] -= learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON);
        }
        return norm;
    }
}
