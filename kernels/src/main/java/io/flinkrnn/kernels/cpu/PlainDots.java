package io.flinkrnn.kernels.cpu;

/** {@link FixedOrderDots}' order written out in plain Java: the reference every variant matches bit for bit. */
final class PlainDots implements FixedOrderDots {
    static final PlainDots INSTANCE = new PlainDots();

    private PlainDots() {
    }

    @Override
    public double dot(double[] x, int xAt, double[] y, int yAt, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[xAt + i] * y[yAt + i];
            s1 += x[xAt + i + 1] * y[yAt + i + 1];
            s2 += x[xAt + i + 2] * y[yAt + i + 2];
            s3 += x[xAt + i + 3] * y[yAt + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[xAt + i] * y[yAt + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public double lagDot(float[] x, int xAt, float[] c, int cAt, int n, float last) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += (double) (x[xAt + i] - last) * c[cAt + i];
            s1 += (double) (x[xAt + i + 1] - last) * c[cAt + i + 1];
            s2 += (double) (x[xAt + i + 2] - last) * c[cAt + i + 2];
            s3 += (double) (x[xAt + i + 3] - last) * c[cAt + i + 3];
        }
        for (; i < n; i++) {
            s0 += (double) (x[xAt + i] - last) * c[cAt + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
