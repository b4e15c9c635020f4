package io.flinkrnn.cli;

import io.flinkrnn.cli.options.Backend;
import io.flinkrnn.cli.options.Choices;
import io.flinkrnn.cli.options.Flag;
import io.flinkrnn.cli.options.Numbers;
import io.flinkrnn.cli.options.Threads;
import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.backends.Backends;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.kernels.model.RnnModel;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-rnn bench}: times the batched step on a random model of the given shape (PyTorch's default
 * init), after a warm-up long enough for the JIT to compile the hot loops. Each timed call advances
 * {@code batch} keys by one step, carrying their states forward as a stream would. Prints progress, then
 * as its last line {@code key_steps_per_s=N gflops=G} followed by every parameter.
 */
@Command(name = "bench", sortOptions = false,
        description = {"times the batched step; last line key_steps_per_s=N gflops=G and the parameters",
            "With --compare-threads 1,2: one Java backend per thread count in this JVM, timed in turn for --rounds"
                + " rounds; the last line is the last count's median."})
final class BenchCommand extends CliCommand {
    @Option(names = "--cell", paramLabel = "lstm|gru", converter = Choices.Cells.class,
            completionCandidates = Choices.Cells.class, description = "the recurrent cell (default: ${DEFAULT-VALUE})")
    CellType cell = CellType.LSTM;

    @Option(names = "--batch", paramLabel = "B", converter = Numbers.AtLeastOne.class,
            description = "keys stepped per call (default: ${DEFAULT-VALUE})")
    int batch = 1024;

    @Option(names = "--input", paramLabel = "F", converter = Numbers.AtLeastOne.class,
            description = "input features (default: ${DEFAULT-VALUE})")
    int input = 16;

    @Option(names = "--hidden", paramLabel = "H", converter = Numbers.AtLeastOne.class,
            description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden = 128;

    @Option(names = "--layers", paramLabel = "L", converter = Numbers.AtLeastOne.class,
            description = "stacked layers (default: ${DEFAULT-VALUE})")
    int layers = 1;

    @Option(names = "--outputs", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "head outputs (default: ${DEFAULT-VALUE})")
    int outputs = 1;

    @Mixin
    Backend backend = new Backend(BackendKind.AUTO);

    @Mixin
    Threads threads;

    @Option(names = "--seconds", paramLabel = "S", converter = Numbers.Positive.class,
            description = "timed seconds, at least 0.1 (default: ${DEFAULT-VALUE})")
    double seconds = 5;

    @Option(names = "--warmup", paramLabel = "S", converter = Numbers.NonNegative.class,
            description = "warm-up seconds before timing (default: max(1, --seconds / 3))")
    Double warmup;

    @Option(names = "--gru-reset", paramLabel = "after|before", converter = GruReset.Names.class,
            completionCandidates = GruReset.Names.class,
            description = "where the GRU's reset gate applies: after the hidden product (PyTorch) or before it"
                    + " (default: ${DEFAULT-VALUE})")
    GruReset gruReset = GruReset.AFTER;

    @Option(names = "--allow-cpu-opencl", arity = "1", paramLabel = "true|false", converter = Flag.class,
            completionCandidates = Flag.class,
            description = "let auto pick an OpenCL CPU device when there is no GPU (default: ${DEFAULT-VALUE})")
    boolean allowCpuOpenCl = false;

    @Option(names = "--opencl-capacity", paramLabel = "C", converter = Numbers.AtLeastOne.class,
            description = "keys the OpenCL buffers hold (default: --batch)")
    Integer openClCapacity;

    @Option(names = "--seed", paramLabel = "N", converter = Numbers.AtLeastZero.class,
            description = "the random model's weights and inputs (default: ${DEFAULT-VALUE})")
    int seed = 42;

    @Option(names = "--compare-threads", paramLabel = "T", split = ",", splitSynopsisLabel = ",",
            converter = Numbers.AtLeastOne.class,
            description = "two or more thread counts (1,2): Java backends with them side by side in this JVM, timed"
                    + " in turn")
    List<Integer> compareThreads;

    @Option(names = "--rounds", paramLabel = "R", converter = Numbers.AtLeastOne.class,
            description = "with --compare-threads: rounds (default: ${DEFAULT-VALUE})")
    int rounds = 5;

    @Option(names = "--independent", arity = "1", paramLabel = "true|false", converter = Flag.class,
            completionCandidates = Flag.class,
            description = "with --compare-threads: also time T one-thread backends stepping side by side in T threads,"
                    + " what this machine gives T threads that share nothing: the ceiling for the T-thread backend"
                    + " (default: ${DEFAULT-VALUE})")
    boolean independent = false;

    /** {@code --gru-reset}. */
    enum GruReset {
        AFTER(GruResetMode.AFTER_PRODUCT), BEFORE(GruResetMode.BEFORE_PRODUCT);

        final GruResetMode mode;

        GruReset(GruResetMode mode) {
            this.mode = mode;
        }

        static final class Names extends Choices.Of<GruReset> {
            Names() {
                super(GruReset.class);
            }
        }
    }

    @Override
    public Integer call() {
        PrintStream out = out();
        atLeast("--seconds", seconds, 0.1);
        double warmup = this.warmup != null ? this.warmup : Math.max(1, seconds / 3);
        int threads = this.threads.threads;
        RnnModel model = RandomInit.model(cell, gruReset.mode, input, hidden, layers, outputs, seed);
        BackendOptions options = BackendOptions.defaults().withKind(backend.kind).withThreads(threads)
                .withAllowCpuOpenCl(allowCpuOpenCl)
                .withOpenClBatchCapacity(openClCapacity != null ? openClCapacity : batch);
        SplittableRandom rnd = new SplittableRandom(seed + 1L);
        float[] inputs = new float[batch * input];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        if (compareThreads != null) {
            if (compareThreads.size() < 2) {
                throw usage("--compare-threads needs at least two counts, got " + compareThreads);
            }
            int[] counts = compareThreads.stream().mapToInt(Integer::intValue).toArray();
            return new ThreadScalingBench(out, model, options, batch, seconds, warmup, inputs)
                    .run(counts, rounds, independent);
        }
        float[] states = new float[batch * model.stateSize()];
        float[] head = new float[batch * outputs];
        try (StepBackend backend = Backends.open(model, options)) {
            out.printf(Locale.ROOT, "bench: %s, batch %d, %s; warm-up %.1f s, timing %.1f s%n", model.describe(),
                    batch, backend.info(), warmup, seconds);
            long warmSteps = timeSteps(backend, batch, inputs, states, head, warmup);
            out.printf(Locale.ROOT, "bench: warm-up done (%d calls)%n", warmSteps);
            long start = System.nanoTime();
            long calls = timeSteps(backend, batch, inputs, states, head, seconds);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double keySteps = calls * (double) batch / elapsed;
            checkFinite(head);
            out.printf(Locale.ROOT, "bench: %d calls in %.3f s, %.1f us per call%n", calls, elapsed,
                    elapsed * 1e6 / calls);
            out.println(resultLine(model, backend, batch, threads, seconds, keySteps));
        }
        return 0;
    }

    static String resultLine(RnnModel model, StepBackend backend, int batch, int threads, double seconds,
            double keySteps) {
        return String.format(Locale.ROOT,
                "key_steps_per_s=%.0f gflops=%.2f cell=%s batch=%d input=%d hidden=%d layers=%d outputs=%d"
                        + " backend=%s threads=%d seconds=%.1f device=\"%s\"",
                keySteps, keySteps * model.flopsPerKeyStep() / 1e9, model.cell().name().toLowerCase(), batch,
                model.inputSize(), model.hiddenSize(), model.layerCount(), model.outputSize(),
                backend.info().kind().name().toLowerCase(), threads, seconds, backend.info().device());
    }

    /** Steps until {@code seconds} have passed (at least once); returns the number of calls. */
    static long timeSteps(StepBackend b, int batch, float[] in, float[] st, float[] out, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long calls = 0;
        do {
            b.step(batch, in, st, out);
            calls++;
        } while (System.nanoTime() < end);
        return calls;
    }

    static void checkFinite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("the benchmark produced a non-finite output: " + v);
            }
        }
    }
}
