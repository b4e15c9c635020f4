package io.flinkrnn.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.SequenceRunner;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The trainer's backpropagation against finite differences, and its forward pass against the kernels. */
class WindowGradientTest {
    private static final int F = 3;
    private static final int H = 5;
    private static final int LAYERS = 2;
    private static final int OUTPUTS = 4;
    private static final int STEPS = 6;

    @ParameterizedTest
    @EnumSource(CellType.class)
    void gradientsMatchCentralDifferencesInDouble(CellType cell) {
        assertGradientMatchesCentralDifferences(cell, TrainingLoss.mse());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void huberGradientsMatchCentralDifferencesInDouble(CellType cell) {
        // delta 0.3 against errors spread over about [-1.5, 1.5]: most terms are on the loss's linear part
        assertGradientMatchesCentralDifferences(cell, TrainingLoss.huber(0.3));
    }

    private static void assertGradientMatchesCentralDifferences(CellType cell, TrainingLoss loss) {
        ParameterLayout lay = new ParameterLayout(cell, F, H, LAYERS, OUTPUTS);
        SplittableRandom rnd = new SplittableRandom(7);
        double[] p = lay.initialise(rnd);
        double[] x = normal(rnd, STEPS * F);
        double[] y = normal(rnd, STEPS * OUTPUTS);
        y[y.length - 1] = Double.NaN; // a missing target adds nothing
        double[] state = normal(rnd, LAYERS * H * cell.statesPerLayer());
        WindowGradient w = new WindowGradient(lay, STEPS + 2, loss);
        double[] grad = new double[lay.size()];
        w.run(STEPS, x, y, state, p, grad, new double[2]);
        int linear = 0;
        for (int i = 0; i < y.length; i++) {
            linear += Math.abs(w.outputs()[i] - y[i]) > loss.delta ? 1 : 0;
        }
        assertTrue(loss.kind == TrainingLoss.Kind.MSE || linear > y.length / 2, linear + " terms beyond delta");
        double eps = 1e-5; // round-off (~1e-15 * loss / eps) and truncation (~eps^2) both stay below 1e-9
        double worst = 0;
        for (int i = 0; i < lay.size(); i++) {
            double keep = p[i];
            p[i] = keep + eps;
            double up = loss(w, loss, x, y, state, p);
            p[i] = keep - eps;
            double down = loss(w, loss, x, y, state, p);
            p[i] = keep;
            double numeric = (up - down) / (2 * eps);
            double err = Math.abs(numeric - grad[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(grad[i]));
            worst = Math.max(worst, err);
        }
        assertTrue(worst < 1e-5, cell + " " + loss + ": worst relative gradient error " + worst + " over "
                + lay.size() + " parameters");
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void forwardPassIsTheModelTheKernelsRun(CellType cell) {
        ParameterLayout lay = new ParameterLayout(cell, F, H, LAYERS, OUTPUTS);
        SplittableRandom rnd = new SplittableRandom(11);
        double[] p = lay.initialise(rnd);
        RnnModel model = lay.toModel(p, Normalization.identity(F, OUTPUTS));
        double[] pf = lay.fromModel(model); // the float weights, so only the arithmetic differs
        assertArrayEquals(lay.fromModel(model), lay.fromModel(lay.toModel(pf, Normalization.identity(F, OUTPUTS))));
        double[] x = normal(rnd, STEPS * F);
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
            x[i] = xf[i];
        }
        WindowGradient w = new WindowGradient(lay, STEPS, TrainingLoss.mse());
        double[] y = new double[STEPS * OUTPUTS];
        w.run(STEPS, x, y, new double[model.stateSize()], pf, null, new double[2]);
        float[] kernel = new float[STEPS * OUTPUTS];
        try (StepBackend b = new CpuStepBackend(model, 1, "test")) {
            new SequenceRunner(b).run(1, STEPS, xf, new float[model.stateSize()], kernel, null);
        }
        for (int i = 0; i < kernel.length; i++) {
            assertEquals(w.outputs()[i], kernel[i], 2e-5, cell + " output " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void vectorAndScalarLoopsGiveTheSameBits(CellType cell) {
        ParameterLayout lay = new ParameterLayout(cell, F, 19, LAYERS, OUTPUTS); // 19: every tail length
        SplittableRandom rnd = new SplittableRandom(5);
        double[] p = lay.initialise(rnd);
        double[] x = normal(rnd, STEPS * F);
        double[] y = normal(rnd, STEPS * OUTPUTS);
        double[] state = normal(rnd, LAYERS * 19 * cell.statesPerLayer());
        double[] scalar = new double[lay.size()];
        double[] best = new double[lay.size()];
        TrainingLoss mse = TrainingLoss.mse();
        new WindowGradient(lay, STEPS, new TrainMath.ScalarTrainMath(), mse).run(STEPS, x, y, state, p, scalar,
                new double[2]);
        new WindowGradient(lay, STEPS, TrainMath.best(), mse).run(STEPS, x, y, state, p, best, new double[2]);
        assertArrayEquals(scalar, best, 0.0, TrainMath.best().getClass().getSimpleName() + " vs scalar");
    }

    /** The window's summed loss, computed here from its outputs: e^2 within delta, 2 delta |e| - delta^2 beyond. */
    private static double loss(WindowGradient w, TrainingLoss loss, double[] x, double[] y, double[] state,
            double[] p) {
        w.run(STEPS, x, y, state, p, null, new double[2]);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            if (!Double.isNaN(y[i])) {
                double e = Math.abs(w.outputs()[i] - y[i]);
                sum += e <= loss.delta ? e * e : 2 * loss.delta * e - loss.delta * loss.delta;
            }
        }
        return sum;
    }

    private static double[] normal(SplittableRandom rnd, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextDouble() * 2 - 1;
        }
        return a;
    }
}
