package io.flinkrnn.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * The user-facing cluster checks, run as a user runs them: separate Kafka, JobManager and TaskManager
 * processes (deploy/local-cluster), a kill -9 of a TaskManager mid-stream, and a savepoint + restart at
 * another parallelism, with or without a change of settings; each must end with {@code lost=0 duplicated=0
 * mismatched=0}. Each runs on the heap and
 * on RocksDB with incremental checkpoints; the check's {@code state:} line says which backend the job ran on,
 * from the JobManager's checkpoint configuration and the TaskManagers' logs.
 */
class LocalClusterIT {
    private static final String CLEAN = "lost=0 duplicated=0 mismatched=0";

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    @Timeout(600)
    void killingATaskManagerMidStreamLosesAndDuplicatesNothing(String backend) throws Exception {
        String out = run("failover-check.sh", backend, Map.of("KEYS", "12", "ROWS", "1200", "RATE", "1200"));
        Matcher m = Pattern.compile("recorded (\\d+) failure").matcher(out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 1, "the kill must reach the job:\n" + out);
        assertTrue(out.contains("kill -9 TaskManager "), out);
        assertRanOn(backend, out);
        Matcher c = Pattern.compile("checkpoint_restores=(\\d+)").matcher(out);
        assertTrue(c.find() && Integer.parseInt(c.group(1)) >= 1, "the restart must restore from a checkpoint, not"
                + " start over:\n" + out);
        if (backend.equals("rocksdb")) {
            Matcher r = Pattern.compile("incremental_restores=(\\d+)").matcher(out);
            assertTrue(r.find() && Integer.parseInt(r.group(1)) >= 1, "the restart must restore RocksDB from an"
                    + " incremental checkpoint:\n" + out);
        }
        assertEquals(CLEAN, lastLine(out), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    @Timeout(600)
    void rescalingFromTwoToFourThroughASavepointChangesNoBit(String backend) throws Exception {
        String out = run("rescale-check.sh", backend, Map.of("KEYS", "12", "ROWS", "800", "RATE", "2000"));
        assertTrue(out.contains("operators run at parallelism 4"), out);
        assertRanOn(backend, out);
        assertEquals(CLEAN, lastLine(out), out);
    }

    /**
     * A savepoint at parallelism 2 with intervals and anomaly scoring off, restored at 4 with both on: every
     * forecast equals a replay that switched at the same rows (the scaling statistics and the guard's history
     * carried over), and the parts the job started fresh are exactly the new ones. On RocksDB, whose state is
     * serialized on every access.
     */
    @Test
    @Timeout(600)
    void aRestoreThatSwitchesIntervalsAndScoringOnKeepsEveryOtherPartOfTheState() throws Exception {
        String out = run("setting-change-check.sh", "rocksdb", Map.of("KEYS", "12", "ROWS", "800", "RATE", "2000"));
        assertTrue(out.contains("operators run at parallelism 4"), out);
        assertRanOn("rocksdb", out);
        Matcher m = Pattern.compile("fresh parts: job=\\[([^]]*)\\] replay=\\[([^]]*)\\]").matcher(out);
        assertTrue(m.find(), "no fresh parts line:\n" + out);
        assertEquals(m.group(2), m.group(1), out);
        assertEquals("anomaly, context, flags, hold, intervals, likelihood, signals, surprise", m.group(1),
                "only the parts the new settings add start fresh");
        assertEquals(CLEAN, lastLine(out), out);
    }

    /**
     * The SQL example run by Flink's own SQL client (JSON in and out of Kafka, RNN_FORECAST), through a kill -9 of
     * a TaskManager and a stop with a savepoint and a restore of the same SQL: every forecast once, bit for bit.
     */
    @Test
    @Timeout(600)
    void theSqlQueryThroughAKillAndASavepointRestoreLosesAndChangesNothing() throws Exception {
        String out = run("sql-check.sh", "rocksdb", Map.of("KEYS", "12", "ROWS", "800", "RATE", "800"));
        assertTrue(out.contains("SQL update statement has been successfully submitted"), out);
        Matcher m = Pattern.compile("recorded (\\d+) failure").matcher(out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 1, "the kill must reach the job:\n" + out);
        assertTrue(out.contains("restored from the savepoint"), out);
        assertRanOn("rocksdb", out);
        assertEquals(CLEAN, lastLine(out), out);
    }

    /**
     * The soak check's CI length (the 10-minute run is a documented command): a fixed rate for 60 s with a kill
     * -9 half way on RocksDB; the lag is back to 0 after the last record, checkpoints completed, the report page
     * has its four charts, and nothing is lost, duplicated or changed.
     */
    @Test
    @Timeout(600)
    void aSixtySecondSoakWithAKillEndsWithNoLagAndNothingLost() throws Exception {
        String out = run("soak-check.sh", "rocksdb", Map.of("SOAK_SECONDS", "60", "RATE", "1000", "KEYS", "20"));
        Matcher m = Pattern.compile("soak: seconds=(\\d+) samples=(\\d+) .* checkpoints=(\\d+) .* lag_end=(\\d+)")
                .matcher(out);
        assertTrue(m.find(), "no soak line:\n" + out);
        assertTrue(Integer.parseInt(m.group(1)) >= 60 && Integer.parseInt(m.group(2)) >= 25, m.group());
        assertTrue(Integer.parseInt(m.group(3)) >= 3, "checkpoints completed: " + m.group());
        assertEquals("0", m.group(4), "lag after the last record: " + m.group());
        Matcher f = Pattern.compile("recorded (\\d+) failure").matcher(out);
        assertTrue(f.find() && Integer.parseInt(f.group(1)) >= 1, "the kill must reach the job:\n" + out);
        String html = Files.readString(Paths.get("..", "deploy", "target", "soak-report.html"));
        assertEquals(4, html.split("<svg").length - 1, "rate, lag, heap and checkpoint charts");
        assertRanOn("rocksdb", out);
        assertEquals(CLEAN, lastLine(out), out);
    }

    private static void assertRanOn(String backend, String out) {
        Matcher m = Pattern.compile("state: backend=(\\S+) rocksdb_instances=(\\d+) checkpoints_completed=(\\d+)")
                .matcher(out);
        assertTrue(m.find(), "no state line:\n" + out);
        assertEquals(backend.equals("rocksdb") ? "EmbeddedRocksDBStateBackend" : "HashMapStateBackend", m.group(1));
        assertEquals(backend.equals("rocksdb"), Integer.parseInt(m.group(2)) > 0, m.group());
        assertTrue(Integer.parseInt(m.group(3)) > 0, "checkpoints completed: " + m.group());
    }

    private static String run(String script, String backend, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(Paths.get("target"), script + "-" + backend, ".log");
        Path scriptPath = Paths.get("..", "deploy", "local-cluster", script);
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", scriptPath.toString(), "--state-backend", backend))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(540, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            new ProcessBuilder("bash", "../deploy/local-cluster/cluster.sh", "stop").start().waitFor();
            throw new AssertionError(script + " did not finish in 9 minutes:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), script + " failed:\n" + out);
        return out;
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
