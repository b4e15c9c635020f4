import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.backends.Backends;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * One build's side of {@link BuildAb}: loaded once per job jar, each in its own class loader, so the builds
 * run in one JVM. {@code applyAsDouble("1" | "2" | "independent")} times a 1-thread backend, a 2-thread
 * backend, or two 1-thread backends stepping at once in two threads (their rates added), and returns
 * key-steps per second. All three step over one copy of the weights where the build allows it.
 */
public final class StepHarness implements ToDoubleFunction<String> {
    /**
     * The head's outputs, kept here rather than read from the model: the accessor was renamed (horizon() to
     * outputSize()), and this class runs against jars from before and after.
     */
    private static final int OUTPUTS = 1;
    private final int batch;
    private final double seconds;
    private final float[] inputs;
    private final Lane one;
    private final Lane two;
    private final Lane other;

    public StepHarness(String cell, int batch, int input, int hidden, double seconds) {
        RnnModel m = RandomInit.model(CellType.parse(cell), GruResetMode.AFTER_PRODUCT, input, hidden, 1, OUTPUTS, 42L);
        this.batch = batch;
        this.seconds = seconds;
        this.inputs = new float[batch * input];
        SplittableRandom rnd = new SplittableRandom(43);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        one = new Lane(Backends.open(m, BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)), m);
        two = new Lane(sameWeights(one.backend, m, 2), m);
        other = new Lane(sameWeights(one.backend, m, 1), m);
    }

    @Override
    public double applyAsDouble(String what) {
        switch (what) {
            case "1":
                return one.time();
            case "2":
                return two.time();
            case "independent":
                double[] rate = new double[1];
                Thread t = new Thread(() -> rate[0] = other.time());
                t.start();
                double mine = one.time();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return mine + rate[0];
            case "close":
                one.backend.close();
                two.backend.close();
                other.backend.close();
                return 0;
            default:
                throw new IllegalArgumentException(what);
        }
    }

    /**
     * A backend over {@code first}'s weights where the build has {@code CpuStepBackend.withThreads} (so the
     * lanes differ in threads only, not in where their weights landed); a fresh one in older builds.
     */
    private static StepBackend sameWeights(StepBackend first, RnnModel m, int threads) {
        try {
            return (StepBackend) first.getClass().getMethod("withThreads", int.class).invoke(first, threads);
        } catch (NoSuchMethodException e) {
            return Backends.open(m, BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(threads));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Lane {
        final StepBackend backend;
        final float[] states;
        final float[] outputs;

        Lane(StepBackend backend, RnnModel m) {
            this.backend = backend;
            states = new float[batch * m.stateSize()];
            outputs = new float[batch * OUTPUTS];
        }

        double time() {
            long calls = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            do {
                backend.step(batch, inputs, states, outputs);
                calls++;
            } while (System.nanoTime() < end);
            return calls * (double) batch / ((System.nanoTime() - start) / 1e9);
        }
    }
}
