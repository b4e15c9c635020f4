package io.flinkrnn.cli;

import io.flinkrnn.cli.data.MachineSeries;
import io.flinkrnn.cli.demo.DemoRun;
import io.flinkrnn.cli.demo.DemoTraining;
import io.flinkrnn.models.train.TrainingData;
import io.flinkrnn.models.train.TrainingReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's machine key: its multi-target model, trained by the same recipe as the keys' ({@link DemoTraining}),
 * and its job's settings, the keys' job's own but for the model, the topics, the consumer group (the transactional
 * ids derive from it, so the two jobs never fence each other) and the name. The detection settings are the
 * product's defaults: the demo shows what a user would get.
 */
final class DemoMachine {
    /** One key: one slot. */
    static final int PARALLELISM = 1;

    private DemoMachine() {
    }

    /** Trains the machine's model into {@code dir}; returns the artifact and a line for the report. */
    static Trained train(MachineSeries machine, int epochs, Path dir, PrintStream out) throws Exception {
        Path artifact = dir.resolve("demo-machine-model.avro");
        TrainingData data = DemoTraining.machine(machine);
        TrainingReport tr = TrainedModels.train(data, DemoTraining.config(epochs, data, 1), "demo: " + machine.name
                + " (" + String.join(", ", machine.sensors) + ")", artifact, out);
        String line = String.format(Locale.ROOT, "LSTM hidden %d, horizon %d, window %d on the first %d%% of %s,"
                + " %d sensors each a feature and a target, %d epochs (chose %d), %.1f s; validation MSE %.4f vs last"
                + " value %.4f", DemoTraining.HIDDEN, DemoTraining.STEPS, DemoTraining.WINDOW,
                DemoTraining.TRAIN_PERCENT, machine.name, machine.sensors.size(), epochs, tr.bestEpoch, tr.trainSeconds, tr.validation.model.mse,
                tr.validation.lastValue.mse);
        out.printf(Locale.ROOT, "demo: trained a %d-target LSTM for %s in %.1f s: validation MSE %.4f (last value"
                + " %.4f), normalised scale%n", machine.sensors.size(), machine.name, tr.trainSeconds,
                tr.validation.model.mse, tr.validation.lastValue.mse);
        return new Trained(artifact, line);
    }

    /** The machine's model and how it was trained. */
    record Trained(Path artifact, String description) {
    }

    /** The machine job's settings: {@code keys}' (the keys' job's) with its own model, topics, group and name. */
    static Map<String, String> settings(Map<String, String> keys, Path model) {
        Map<String, String> s = new LinkedHashMap<>(keys);
        s.put("job.name", "flink-rnn demo machine");
        s.put("model.uri", model.toAbsolutePath().toString());
        s.put("model.id", "demo-machine");
        s.put("kafka.group-id", "flink-rnn-demo-machine");
        s.put("topics.observations", DemoRun.MACHINE_OBSERVATIONS);
        s.put("topics.forecasts", DemoRun.MACHINE_FORECASTS);
        s.put("topics.dead-letters", DemoRun.MACHINE_DEAD_LETTERS);
        s.remove("topics.model-updates");
        return s;
    }
}
