package io.flinkrnn.deploy.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The job's command line, parsed by picocli from a model built out of {@link JobOptions}: {@code --config FILE}
 * and one {@code --name value} (or {@code --name=value}) per setting, the last of a repeated one winning as later
 * overrides do. The values stay text here; {@link JobConfig} reads each as its typed Flink option, so a value has
 * one parser whether it came from YAML or from this line. The model is built from the options rather than
 * annotated because the job jar's settings are Flink options, declared once in their owners' classes; Kafka's own
 * client properties ({@code --kafka.properties.NAME value}) have open-ended names and are taken out before it.
 */
record JobArguments(String configFile, Map<String, String> settings, boolean help) {
    /**
     * Parses {@code args}; an unknown setting, a stray argument or a setting without its value fails naming it.
     * {@code --help} (or {@code -h}) in an option's place asks for the help; where a setting's value is due it is
     * that setting missing its value.
     */
    static JobArguments parse(String[] args) {
        // Kafka's own client properties have open-ended names: taken out here, the rest parsed by picocli.
        Map<String, String> client = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        String prefix = flag(KafkaOptions.CLIENT_PROPERTIES);
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith(prefix) || args[i].length() == prefix.length()
                    || args[i].charAt(prefix.length()) == '=') {
                rest.add(args[i]);
            } else if (args[i].indexOf('=') > 0) {
                client.put(args[i].substring(2, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                client.put(args[i].substring(2), args[++i]);
            } else {
                throw new JobConfigException("setting '" + args[i].substring(2) + "' needs a value (settings look"
                        + " like --name value)");
            }
        }
        args = rest.toArray(new String[0]);
        CommandLine line = new CommandLine(spec());
        line.setOverwrittenOptionsAllowed(true);
        // A value starting with @ is a value (a group id, a password), never the contents of a file of that name.
        line.setExpandAtFiles(false);
        ParseResult result;
        try {
            result = line.parseArgs(args);
        } catch (UnmatchedArgumentException e) {
            throw new JobConfigException(unmatched(e));
        } catch (ParameterException e) {
            throw new JobConfigException(e.getMessage() + " (settings look like --name value)");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (JobOption o : JobOptions.ALL) {
            if (result.hasMatchedOption(flag(o.name()))) {
                settings.put(o.name(), result.matchedOptionValue(flag(o.name()), ""));
            }
        }
        settings.putAll(client);
        String file = result.matchedOptionValue(flag(JobOptions.CONFIG_FILE.name()), null);
        return new JobArguments(file, settings, result.isUsageHelpRequested());
    }

    private static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create();
        spec.addOption(OptionSpec.builder("--help", "-h").usageHelp(true).build());
        spec.addOption(option(JobOptions.CONFIG_FILE));
        JobOptions.ALL.forEach(o -> spec.addOption(option(o)));
        return spec;
    }

    private static OptionSpec option(JobOption o) {
        return OptionSpec.builder(flag(o.name())).type(String.class).arity("1").paramLabel("VALUE")
                .description(o.description()).build();
    }

    private static String flag(String name) {
        return "--" + name;
    }

    /** The first unmatched argument as a setting's name (with picocli's nearest names) or as a stray argument. */
    private static String unmatched(UnmatchedArgumentException e) {
        List<String> args = e.getUnmatched();
        String first = args.isEmpty() ? "" : args.get(0);
        if (!first.startsWith("--") || first.length() == 2) {
            return "unexpected argument '" + first + "' (settings look like --name value)";
        }
        int eq = first.indexOf('=');
        String name = first.substring(2, eq < 0 ? first.length() : eq);
        List<String> near = e.getSuggestions();
        return "unknown setting '" + name + "' in command line" + (near.isEmpty() ? "" : ", did you mean "
                + String.join(" or ", near.subList(0, Math.min(3, near.size()))) + "?")
                + " (flink-rnn job --help lists every setting)";
    }
}
