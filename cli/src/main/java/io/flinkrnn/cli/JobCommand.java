package io.flinkrnn.cli;

import io.flinkrnn.deploy.job.FlinkRnnJob;
import io.flinkrnn.deploy.job.JobConfig;
import io.flinkrnn.deploy.job.JobConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code flink-rnn job [--config FILE.yaml] [--SETTING VALUE]...}: the streaming job in this JVM on a local
 * Flink (for a cluster: {@code flink run} the job jar with the same arguments). The settings are the job's own
 * ({@link JobConfig}, which the job jar parses too), so they pass through picocli unparsed and {@code --help},
 * anywhere on the line, prints {@link JobConfig#help()}. A bad setting is a usage error naming it.
 */
@Command(name = "job",
        description = "the streaming job (Kafka in/out) on a local Flink; --help lists every setting")
final class JobCommand extends CliCommand {
    /** The one help section: the job's settings, as the job jar prints them. */
    private static final String SETTINGS = "settings";

    @Parameters(paramLabel = "--SETTING VALUE", description = "--config FILE.yaml, then any job setting")
    List<String> settings = new ArrayList<>();

    /**
     * Every argument but {@code --help} and {@code --verbose} goes to the job as written, and {@code job --help}
     * prints the settings' own help in place of an option list; called once the command tree is built.
     */
    static void passSettingsThrough(CommandLine job) {
        job.setUnmatchedOptionsArePositionalParams(true);
        job.getHelpSectionMap().put(SETTINGS, help -> JobConfig.help());
        job.setHelpSectionKeys(List.of(SETTINGS));
    }

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        String name;
        try {
            name = FlinkRnnJob.build(env, JobConfig.parse(settings.toArray(new String[0])), UnaryOperator.identity());
        } catch (JobConfigException e) {
            throw usage(e.getMessage());
        }
        env.execute(name);
        return 0;
    }
}
