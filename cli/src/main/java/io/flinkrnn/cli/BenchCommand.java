package io.flinkrnn.cli;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.backends.Backends;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.kernels.model.RnnModel;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code flink-rnn bench}: times the batched step on a random model of the given shape (PyTorch's default
 * init), after a warm-up long enough for the JIT to compile the hot loops. Each timed call advances
 * {@code batch} keys by one step, carrying their states forward as a stream would. Prints progress, then
 * as its last line {@code key_steps_per_s=N gflops=G} followed by every parameter.
 */
final class BenchCommand {
    static final List<String> OPTIONS = List.of("cell", "batch", "input", "hidden", "layers", "outputs", "backend",
            "threads", "seconds", "warmup", "gru-reset", "allow-cpu-opencl", "opencl-capacity", "seed", "compare-threads",
            "rounds", "independent");

    private BenchCommand() {
    }

    static int run(String[] args, PrintStream out) {
        if (args.length == 1 && args[0].equals("--help")) {
            out.println("usage: flink-rnn bench [--cell lstm|gru] [--batch B] [--input F] [--hidden H] [--layers L]"
                    + " [--outputs N] [--backend java|opencl|auto] [--threads T] [--seconds S] [--warmup S]"
                    + " [--gru-reset after|before] [--allow-cpu-opencl true|false] [--opencl-capacity C] [--seed N]"
                    + " [--compare-threads T,T... --rounds R [--independent true]]");
            out.println("defaults: lstm, batch 1024, input 16, hidden 128, layers 1, outputs 1, backend auto,"
                    + " threads = cores, seconds 5, warmup = max(1, seconds/3), gru-reset after");
            out.println("--compare-threads 1,2: one Java backend per thread count in this JVM, timed in turn for"
                    + " --rounds rounds (default 5); the last line is the last count's median. --independent true also"
                    + " times T one-thread backends stepping side by side in T threads: what this machine gives"
                    + " T threads that share nothing, the ceiling for the T-thread backend");
            return 0;
        }
        CliOptions o = CliOptions.parse("bench", args, OPTIONS);
        CellType cell = CellType.parse(o.string("cell", "lstm"));
        int batch = o.integer("batch", 1024, 1);
        int input = o.integer("input", 16, 1);
        int hidden = o.integer("hidden", 128, 1);
        int layers = o.integer("layers", 1, 1);
        int outputs = o.integer("outputs", 1, 1);
        BackendKind kind = BackendKind.parse(o.string("backend", "auto"));
        int threads = o.integer("threads", Runtime.getRuntime().availableProcessors(), 1);
        double seconds = o.decimal("seconds", 5, 0.1);
        double warmup = o.decimal("warmup", Math.max(1, seconds / 3), 0);
        String reset = o.string("gru-reset", "after");
        GruResetMode mode;
        if (reset.equals("after")) {
            mode = GruResetMode.AFTER_PRODUCT;
        } else if (reset.equals("before")) {
            mode = GruResetMode.BEFORE_PRODUCT;
        } else {
            throw new UsageException("bench: --gru-reset must be after or before, got '" + reset + "'");
        }
        boolean allowCpuOpenCl = o.bool("allow-cpu-opencl", false);
        int capacity = o.integer("opencl-capacity", Math.max(batch, 1), 1);
        long seed = o.integer("seed", 42, 0);

        RnnModel model = RandomInit.model(cell, mode, input, hidden, layers, outputs, seed);
        BackendOptions options = BackendOptions.defaults().withKind(kind).withThreads(threads)
                .withAllowCpuOpenCl(allowCpuOpenCl).withOpenClBatchCapacity(capacity);
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        float[] inputs = new float[batch * input];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        String compare = o.string("compare-threads", null);
        if (compare != null) {
            int rounds = o.integer("rounds", 5, 1);
            boolean independent = o.bool("independent", false);
            return new ThreadScalingBench(out, model, options, batch, seconds, warmup, inputs)
                    .run(ThreadScalingBench.parseThreads(compare), rounds, independent);
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
