package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.metrics.Metric;

/**
 * The two keyed-state backends the ITs run on, as job configuration: {@code hashmap} (heap) and {@code rocksdb}
 * (incremental checkpoints to files, RocksDB's own key-count metric on, so a test can prove RocksDB held the
 * state rather than trusting the setting).
 */
public final class StateBackends {
    public static final String HASHMAP = "hashmap";
    public static final String ROCKSDB = "rocksdb";

    private StateBackends() {
    }

    public static Configuration of(String backend, Path dir) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, backend);
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints-" + backend).toUri().toString());
        if (backend.equals(ROCKSDB)) {
            c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            c.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
            c.setString("state.backend.rocksdb.metrics.estimate-num-keys", "true");
        }
        return c;
    }

    /** RocksDB registers its native metrics under the operator that owns the state, and only RocksDB does. */
    public static boolean rocksDbHeldStateOf(Map<String, Metric> metrics, String operatorName) {
        return metrics.keySet().stream().anyMatch(id -> id.contains(operatorName) && id.contains(
                "rocksdb_estimate-num-keys"));
    }

    /** Fails unless the metrics show that {@code operatorName}'s state lived where {@code backend} says. */
    public static void assertBackend(String backend, Map<String, Metric> metrics, String operatorName) {
        boolean rocks = rocksDbHeldStateOf(metrics, operatorName);
        assertTrue(rocks == backend.equals(ROCKSDB), "expected " + backend + " to hold " + operatorName + "'s state;"
                + " RocksDB metrics " + (rocks ? "seen" : "not seen") + " among " + metrics.keySet().stream()
                .filter(id -> id.contains(operatorName)).limit(20).toList());
    }
}
