package io.flinkrnn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code deploy/bin/flink-rnn COMMAND [options]}: the entry point of every command. Exit status 0 on
 * success, 2 on a wrong command line (with a message naming the problem), 1 on any other failure (one line
 * naming the file or setting; the stack trace with {@code --verbose} or {@code FLINK_RNN_DEBUG=1}).
 */
public final class FlinkRnnCli {
    /** A command: runs with its own arguments, prints to the given stream, returns an exit status. */
    interface Command {
        int run(String[] args, PrintStream out) throws Exception;
    }

    private static final Map<String, Command> COMMANDS = new TreeMap<>();
    private static final Map<String, String> SUMMARIES = new TreeMap<>();

    static {
        register("bench", "times the batched step; last line key_steps_per_s=N gflops=G and the parameters",
                BenchCommand::run);
        register("check", "steps of the cluster checks: model, topics, produce, verify (lost/duplicated/mismatched)",
                CheckCommand::run);
        register("demo", "Kafka + Flink + a trained model on one machine: live forecasts, summary, HTML report",
                DemoCommand::run);
        register("detect", "per-key anomaly detection on a file or folder (NAB results layout); scores NAB's way",
                DetectCommand::run);
        register("evaluate", "replays a CSV through a model and scores it per key and step against the baselines",
                EvaluateCommand::run);
        register("import", "ONNX export of a PyTorch LSTM/GRU + linear head -> model artifact (.avro)",
                ImportCommand::run);
        register("job", "the streaming job (Kafka in/out) on a local Flink; --help lists every setting",
                JobCommand::run);
        register("predict", "replays a CSV through a model artifact per key; writes forecasts as CSV",
                PredictCommand::run);
        register("publish-model", "puts a new model into a running job through its control topic (model updates)",
                PublishModelCommand::run);
        register("train", "trains an LSTM/GRU forecaster on CSV history -> model artifact + report",
                TrainCommand::run);
    }

    private static void register(String name, String summary, Command command) {
        COMMANDS.put(name, command);
        SUMMARIES.put(name, summary);
    }

    private FlinkRnnCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        Command c = COMMANDS.get(args[0]);
        if (c == null) {
            err.println("flink-rnn: unknown command '" + args[0] + "'");
            usage(err);
            return 2;
        }
        boolean verbose = "1".equals(System.getenv("FLINK_RNN_DEBUG"));
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        if (rest.remove("--verbose")) {
            verbose = true;
        }
        try {
            return c.run(rest.toArray(new String[0]), out);
        } catch (UsageException e) {
            err.println("flink-rnn " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return 2;
        } catch (Exception e) {
            // One line naming the file or setting and the problem; the stack only on request.
            err.println("flink-rnn " + args[0] + " failed: " + (e.getMessage() != null ? e.getMessage() : e.toString())
                    + (verbose ? "" : "   (--verbose or FLINK_RNN_DEBUG=1 for the stack trace)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: deploy/bin/flink-rnn COMMAND [options]   (COMMAND --help lists its options)");
        s.println("commands:");
        SUMMARIES.forEach((name, summary) -> s.printf("  %-8s %s%n", name, summary));
    }
}
