package io.flinkrnn.cli;

import io.flinkrnn.deploy.job.FlinkRnnJob;
import io.flinkrnn.deploy.job.JobConfig;
import io.flinkrnn.deploy.job.JobConfigException;
import java.io.PrintStream;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code flink-rnn job [--config FILE.yaml] [--SETTING VALUE]...}: the streaming job in this JVM on a local
 * Flink (for a cluster: {@code flink run} the job jar with the same arguments). A bad setting is a usage
 * error naming it.
 */
final class JobCommand {
    private JobCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(JobConfig.help());
            return 0;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        String name;
        try {
            name = FlinkRnnJob.build(env, JobConfig.parse(args), UnaryOperator.identity());
        } catch (JobConfigException e) {
            throw new UsageException("job: " + e.getMessage());
        }
        env.execute(name);
        return 0;
    }
}
