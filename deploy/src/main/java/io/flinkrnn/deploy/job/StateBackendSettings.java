package io.flinkrnn.deploy.job;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * The job's {@code state.backend}, {@code state.incremental-checkpoints} and {@code checkpoint.dir} as Flink
 * configuration for the job alone. Each left at {@code cluster} (or empty) sets nothing, so a cluster that
 * chose RocksDB in its own configuration (the Kubernetes manifest does) keeps it; a value set here wins over
 * the cluster's for this job.
 */
final class StateBackendSettings {
    private StateBackendSettings() {
    }

    /** The Flink settings these job settings stand for; checked here, so a bad one fails before submission. */
    static Configuration of(JobConfig c) {
        Configuration conf = new Configuration();
        StateOptions.Backend backend = c.get(StateOptions.BACKEND);
        if (backend != StateOptions.Backend.CLUSTER) {
            conf.set(StateBackendOptions.STATE_BACKEND, backend.toString());
        }
        StateOptions.Incremental incremental = c.get(StateOptions.INCREMENTAL_CHECKPOINTS);
        if (incremental == StateOptions.Incremental.TRUE && backend == StateOptions.Backend.HASHMAP) {
            throw new JobConfigException("state.incremental-checkpoints true needs state.backend rocksdb (the hashmap"
                    + " backend always writes full checkpoints)");
        }
        if (incremental != StateOptions.Incremental.CLUSTER) {
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, incremental == StateOptions.Incremental.TRUE);
        }
        String dir = c.get(StateOptions.CHECKPOINT_DIR);
        if (!dir.isEmpty()) {
            try {
                new org.apache.flink.core.fs.Path(dir).toUri();
            } catch (IllegalArgumentException e) {
                throw new JobConfigException("checkpoint.dir '" + dir + "' is not a path or URI: " + e.getMessage());
            }
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        }
        return conf;
    }
}
