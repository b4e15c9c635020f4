package io.flinkrnn.cli;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.backends.Backends;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.RnnModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;

/**
 * {@code bench --compare-threads}: Java backends with different thread counts side by side in one JVM, timed
 * in turn each round, so their ratio is not blurred by what C2 happened to compile in separate JVMs or by
 * the host's speed drifting between runs. Every backend here steps over one copy of the laid-out weights, so
 * the counts differ in nothing but their threads.
 *
 * <p>With {@code --independent true}, each count T above the first is also set beside T one-thread backends
 * stepping at once in T threads, each over its own keys: threads that share nothing, not even a step call.
 * That is the most T threads can give on this machine (a shared physical core, a busy host and turbo limits
 * all show up in it), so the T-thread backend's ratio to it is what the backend's own splitting costs.
 */
final class ThreadScalingBench {
    private final PrintStream out;
    private final RnnModel model;
    private final BackendOptions options;
    private final int batch;
    private final double seconds;
    private final double warmup;
    private final float[] inputs;

    ThreadScalingBench(PrintStream out, RnnModel model, BackendOptions options, int batch, double seconds,
            double warmup, float[] inputs) {
        this.out = out;
        this.model = model;
        this.options = options.withKind(BackendKind.JAVA);
        this.batch = batch;
        this.seconds = seconds;
        this.warmup = warmup;
        this.inputs = inputs;
    }

    int run(int[] counts, int rounds, boolean independent) {
        List<Lane> opened = new ArrayList<>();
        try {
            Lane[] lanes = new Lane[counts.length];
            Lane[][] apart = new Lane[counts.length][];
            for (int i = 0; i < counts.length; i++) {
                lanes[i] = open(counts[i], opened);
                lanes[i].time(warmup);
                if (independent && i > 0) {
                    apart[i] = new Lane[counts[i]];
                    for (int k = 0; k < counts[i]; k++) {
                        apart[i][k] = open(1, opened);
                        apart[i][k].time(warmup);
                    }
                }
            }
            double[][] rates = new double[counts.length][rounds];
            double[][] apartRates = new double[counts.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < counts.length; i++) {
                    rates[i][r] = lanes[i].time(seconds);
                    out.println(BenchCommand.resultLine(model, lanes[i].backend, batch, counts[i], seconds,
                            rates[i][r]) + " round=" + (r + 1));
                    if (apart[i] != null) {
                        apartRates[i][r] = together(apart[i]);
                        out.printf(Locale.ROOT, "bench: round %d: %d independent 1-thread backends at once:"
                                + " key_steps_per_s=%.0f%n", r + 1, counts[i], apartRates[i][r]);
                    }
                }
            }
            for (Lane lane : opened) {
                BenchCommand.checkFinite(lane.outputs);
            }
            for (int i = 1; i < counts.length; i++) {
                report("threads " + counts[i] + " / threads " + counts[0], rates[i], rates[0]);
                if (apart[i] != null) {
                    report(counts[i] + " independent 1-thread backends / threads " + counts[0], apartRates[i],
                            rates[0]);
                    report("threads " + counts[i] + " / " + counts[i] + " independent 1-thread backends", rates[i],
                            apartRates[i]);
                }
            }
            int last = counts.length - 1;
            out.println(BenchCommand.resultLine(model, lanes[last].backend, batch, counts[last], seconds,
                    median(rates[last])) + " rounds=" + rounds);
            return 0;
        } finally {
            for (Lane lane : opened) {
                lane.backend.close();
            }
        }
    }

    /**
     * The first backend is opened as any other; the rest share its laid-out weights ({@link
     * CpuStepBackend#withThreads} says why: otherwise each count runs on its own, differently aligned copy).
     */
    private Lane open(int threads, List<Lane> opened) {
        StepBackend backend = opened.isEmpty() || !(opened.get(0).backend instanceof CpuStepBackend)
                ? Backends.open(model, options.withThreads(threads))
                : ((CpuStepBackend) opened.get(0).backend).withThreads(threads);
        Lane lane = new Lane(backend);
        opened.add(lane);
        return lane;
    }

    /** Runs every lane in its own thread at once (the caller's is the first) and adds up their rates. */
    private double together(Lane[] lanes) {
        CyclicBarrier start = new CyclicBarrier(lanes.length);
        double[] rates = new double[lanes.length];
        Throwable[] failures = new Throwable[lanes.length];
        Thread[] threads = new Thread[lanes.length];
        for (int k = 1; k < lanes.length; k++) {
            int lane = k;
            threads[k] = new Thread(() -> {
                try {
                    start.await();
                    rates[lane] = lanes[lane].time(seconds);
                } catch (Throwable t) {
                    failures[lane] = t;
                }
            }, "flink-rnn-bench-independent-" + k);
            threads[k].start();
        }
        try {
            start.await();
            rates[0] = lanes[0].time(seconds);
            for (int k = 1; k < lanes.length; k++) {
                threads[k].join();
            }
        } catch (Exception e) {
            throw new IllegalStateException("bench: the independent backends' run was interrupted", e);
        }
        for (Throwable t : failures) {
            if (t != null) {
                throw new IllegalStateException("bench: an independent backend failed", t);
            }
        }
        return Arrays.stream(rates).sum();
    }

    private void report(String what, double[] numerators, double[] denominators) {
        double[] ratios = new double[numerators.length];
        for (int r = 0; r < ratios.length; r++) {
            ratios[r] = numerators[r] / denominators[r];
        }
        out.printf(Locale.ROOT, "bench: %s: median of %d rounds %.2fx (rounds %s)%n", what, ratios.length,
                median(ratios), Arrays.toString(round2(ratios)));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double[] round2(double[] values) {
        double[] r = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            r[i] = Math.round(values[i] * 100) / 100.0;
        }
        return r;
    }

    /** One backend with keys of its own: its states and outputs are never shared with another lane. */
    private final class Lane {
        final StepBackend backend;
        final float[] states = new float[batch * model.stateSize()];
        final float[] outputs = new float[batch * model.outputSize()];

        Lane(StepBackend backend) {
            this.backend = backend;
        }

        /** Key-steps per second over about {@code forSeconds}. */
        double time(double forSeconds) {
            long start = System.nanoTime();
            long calls = BenchCommand.timeSteps(backend, batch, inputs, states, outputs, forSeconds);
            return calls * (double) batch / ((System.nanoTime() - start) / 1e9);
        }
    }
}
