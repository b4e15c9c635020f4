package io.flinkrnn.bench;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The stepper alone, without Flink: every key's rows through {@link KeyStepper#step} with an in-memory store, one
 * row of each key per call, as a replay (and, minus the keyed state, the operator) steps them. Why beside the operator
 * benchmark: the per-key rules' own arithmetic (the guard's linear model's refits above all) is a few microseconds a
 * row, which the operator benchmark's run-to-run spread on a shared machine hides; here one thread runs nothing else.
 * Each key's series is a 12-row cycle with noise, so the linear model fits and refits as on real keys: young keys
 * every quarter of their rows, then every 512. One line per round: {@code stepper_ns_per_row=N ...}.
 */
@Command(name = "StepperBench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The stepper alone: keys x rows through KeyStepper.step; one stepper_ns_per_row=... line per"
                + " round")
public final class StepperBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rules", paramLabel = "plain|train|train-no-linear",
            description = "per-key rules around the network (default: ${DEFAULT-VALUE})")
    String rules = "train";

    @Option(names = "--steps", paramLabel = "S", description = "steps ahead (default: ${DEFAULT-VALUE})")
    int steps = 1;

    @Option(names = "--keys", paramLabel = "N",
            description = "keys, one row of each per call (default: ${DEFAULT-VALUE})")
    int keys = 64;

    @Option(names = "--rows", paramLabel = "N", description = "rows per key (default: ${DEFAULT-VALUE})")
    int rows = 6000;

    @Option(names = "--hidden", paramLabel = "H", description = "LSTM hidden units (default: ${DEFAULT-VALUE})")
    int hidden = 64;

    @Option(names = "--rounds", paramLabel = "N",
            description = "rounds, each from fresh state; round 1 includes the JIT's warm-up"
                    + " (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    private StepperBench() {
    }

    public static void main(String[] args) {
        BenchCli.exit(new StepperBench(), args);
    }

    @Override
    public Integer call() {
        BenchCli.requireOneOf(spec, "--rules", rules, "plain", "train", "train-no-linear");
        ForecastModel m = OperatorBench.rules(rules, BenchModels.lstm(1, hidden, steps, 7), "y", steps);
        float[] y = new float[rows];
        SplittableRandom r = new SplittableRandom(3);
        for (int t = 0; t < rows; t++) {
            y[t] = 50f + 10f * (float) Math.sin(2 * Math.PI * t / 12) + 0.3f * (float) r.nextGaussian();
        }
        String[] names = new String[keys];
        for (int k = 0; k < keys; k++) {
            names[k] = "k" + k;
        }
        for (int round = 1; round <= rounds; round++) {
            KeyStateStore.InMemory store = KeyStateStore.inMemory();
            double check = 0;
            long start;
            long nanos;
            try (KeyStepper s = new KeyStepper(m, StepperSettings.defaults(), new CpuStepBackend(m.network(), 1,
                    "bench"), keys)) {
                StepBatch b = s.batch();
                start = System.nanoTime();
                for (int t = 0; t < rows; t++) {
                    b.clear();
                    for (int k = 0; k < keys; k++) {
                        b.add(names[k], t * 3_600_000L, y, t);
                    }
                    s.step(b, store);
                    check += b.forecast(keys - 1, 0);
                }
                nanos = System.nanoTime() - start;
            }
            System.out.printf(Locale.ROOT, "stepper_ns_per_row=%.0f rules=%s steps=%d keys=%d rows=%d hidden=%d"
                    + " round=%d check=%s%n", (double) nanos / ((long) rows * keys), rules, steps, keys, rows, hidden,
                    round, Double.toString(check));
        }
        return 0;
    }
}
