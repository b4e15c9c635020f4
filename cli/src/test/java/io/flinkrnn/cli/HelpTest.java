package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Help is generated from the options: {@code --help} works after any other options and lists every option of the
 * command, and every default the help shows is the one picocli computes from the option's field, by construction.
 */
class HelpTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return FlinkRnnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** One line per command (and per check step): the command, then options a user might have typed already. */
    static Stream<Arguments> commandsWithOptionsBeforeHelp() {
        return Stream.of(
                Arguments.of("train", List.of("--data", "x.csv", "--key-column", "sensor", "--horizon", "3")),
                Arguments.of("predict", List.of("--model", "m.avro", "--data", "x.csv", "--batch", "7")),
                Arguments.of("evaluate", List.of("--model", "m.avro", "--data", "x.csv", "--from-fraction", "0.8")),
                Arguments.of("detect", List.of("--data", "nab/data", "--probation", "nab", "--out", "results")),
                Arguments.of("demo", List.of("--keys", "3", "--rows", "300", "--duration", "20")),
                Arguments.of("bench", List.of("--cell", "gru", "--batch", "16", "--backend", "java")),
                Arguments.of("import", List.of("--onnx", "m.onnx", "--out", "m.avro")),
                Arguments.of("publish-model", List.of("--model", "m.avro", "--model-id", "load", "--version", "2")),
                Arguments.of("check model", List.of("--out", "m.avro", "--per-key", "true")),
                Arguments.of("check topics", List.of("--bootstrap", "localhost:9092", "--partitions", "2")),
                Arguments.of("check produce", List.of("--bootstrap", "localhost:9092", "--keys", "4", "--rows", "10")),
                Arguments.of("check verify", List.of("--bootstrap", "localhost:9092", "--timeout", "240")),
                Arguments.of("check lag", List.of("--bootstrap", "localhost:9092")),
                Arguments.of("check soak-sample", List.of("--run", "run", "--interval-ms", "2000")),
                Arguments.of("check soak-report", List.of("--run", "run")));
    }

    @ParameterizedTest(name = "{0} {1} --help")
    @MethodSource("commandsWithOptionsBeforeHelp")
    void helpAfterOtherOptionsPrintsEveryOptionOfTheCommand(String command, List<String> before) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(before);
        args.add("--help");
        assertEquals(0, run(args.toArray(new String[0])), err.toString(StandardCharsets.UTF_8));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("Usage: flink-rnn " + command + " "), help);
        CommandLine cl = command(command);
        for (OptionSpec o : cl.getCommandSpec().options()) {
            assertTrue(help.contains(o.longestName()), command + " --help lacks " + o.longestName() + ":\n" + help);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    /** Every command and check step has a line above, so a new one cannot skip its help test. */
    @Test
    void everyCommandIsCoveredAbove() {
        Set<String> covered = new TreeSet<>();
        commandsWithOptionsBeforeHelp().forEach(a -> covered.add((String) a.get()[0]));
        covered.add("job"); // its own test below: its help is the job's settings
        covered.add("help");
        Set<String> all = new TreeSet<>();
        collect(FlinkRnnCli.commandLine(System.out, System.err), all);
        all.remove("check");
        assertEquals(all, covered);
    }

    /** Every command that reads CSV takes the same data options (the {@code DataColumns} mixin). */
    @Test
    void everyCommandThatReadsCsvTakesTheDataOptions() {
        for (String command : List.of("train", "predict", "evaluate", "detect", "demo")) {
            for (String option : List.of("--data", "--key-column", "--time-column", "--delimiter")) {
                assertTrue(command(command).getCommandSpec().findOption(option) != null, command + " " + option);
            }
        }
    }

    @Test
    void jobHelpAfterSettingsPrintsTheJobSettings() {
        assertEquals(0, run("job", "--model.uri", "m.avro", "--kafka.bootstrap-servers", "kafka:9092", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("usage: flink-rnn job [--config FILE.yaml] [--SETTING VALUE]..."), help);
        assertTrue(help.contains("kafka.bootstrap-servers") && help.contains("model.uri"), help);
    }

    @Test
    void checkHelpListsEveryStepWithItsOptions() {
        assertEquals(0, run("check", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("flink-rnn check soak-sample") && help.contains("--taskmanagers=N"), help);
        assertTrue(help.contains("flink-rnn check verify") && help.contains("--switched=true|false"), help);
    }

    /**
     * For every option of every command: one with a default says so through {@code ${DEFAULT-VALUE}} (never a value
     * typed into the text), the help shows it, and parsing the shown value gives the field's own initial value, so
     * the help cannot drift from the code. One without a default (null) does not claim one.
     */
    @Test
    void everyDefaultInTheHelpIsTheOnePicocliComputes() throws Exception {
        List<String> checked = new ArrayList<>();
        for (CommandLine c : all(FlinkRnnCli.commandLine(System.out, System.err))) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp() || o.arity().max() == 0 || o.required()
                        || !(o.userObject() instanceof Field f)) {
                    continue;
                }
                String where = c.getCommandSpec().qualifiedName() + " " + o.longestName();
                String raw = String.join(" ", f.getAnnotation(Option.class).description());
                String shown = String.join(" ", o.description());
                assertFalse(raw.matches("(?s).*default:? *-?[0-9].*"), where + " types a default by hand: " + raw);
                if (o.initialValue() == null) {
                    assertFalse(raw.contains("${DEFAULT-VALUE}"), where + " has no default but shows one: " + raw);
                    continue;
                }
                String value = o.defaultValueString();
                assertTrue(raw.contains("${DEFAULT-VALUE}"), where + " does not show its default: " + raw);
                assertTrue(shown.contains(value), where + ": '" + shown + "' lacks " + value);
                if (o.converters().length > 0) {
                    ITypeConverter<?> converter = o.converters()[0];
                    assertEquals(o.initialValue(), converter.convert(value), where + ": the shown " + value
                            + " parses to another value than the field's default");
                }
                checked.add(where);
            }
        }
        assertTrue(checked.contains("flink-rnn train --hidden") && checked.contains("flink-rnn bench --batch")
                && checked.contains("flink-rnn check soak-sample --taskmanagers")
                && checked.contains("flink-rnn detect --threshold"), checked.toString());
    }

    @Test
    void theCompletionScriptKnowsEveryCommandAndStep() {
        String script = AutoComplete.bash("flink-rnn", FlinkRnnCli.commandLine(System.out, System.err));
        for (String word : List.of("train", "publish-model", "soak-sample", "--taskmanagers", "--guard-evidence",
                "--guard-linear", "--delimiter", "semicolon",
                "\"per-key\"", "\"last-value\"")) {
            assertTrue(script.contains(word), word);
        }
    }

    private static CommandLine command(String path) {
        CommandLine c = FlinkRnnCli.commandLine(System.out, System.err);
        for (String name : path.split(" ")) {
            c = c.getSubcommands().get(name);
        }
        return c;
    }

    private static List<CommandLine> all(CommandLine root) {
        List<CommandLine> list = new ArrayList<>(List.of(root));
        root.getSubcommands().values().forEach(c -> list.addAll(all(c)));
        return list;
    }

    private static void collect(CommandLine c, Set<String> names) {
        for (var e : c.getSubcommands().entrySet()) {
            String parent = c.getCommandSpec().qualifiedName(" ").replaceFirst("^flink-rnn ?", "");
            names.add((parent.isEmpty() ? "" : parent + " ") + e.getKey());
            collect(e.getValue(), names);
        }
    }
}
