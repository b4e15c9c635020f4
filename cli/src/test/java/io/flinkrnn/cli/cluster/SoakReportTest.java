package io.flinkrnn.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak figures from a synthetic run whose answers are known. */
class SoakReportTest {
    @Test
    void slopeFollowsTheHeapAfterEachCollectionAndLagRecoveryIsTimedFromTheKill(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("t_ms,produced,lag,heap_tm-1,heap_tm-2,live_tm-1,live_tm-2\n");
        long t0 = 1_000_000;
        long kill = t0 + 300_000;
        for (long t = 0; t <= 600_000; t += 2000) {
            long mb = 1 << 20;
            // Used heap: a sawtooth of allocation. Live heap (once a minute): tm-1 grows 2 MB per minute, tm-2
            // is 300 MB, down at the kill, then 150 MB.
            long saw = (t % 40_000) * 100 * mb / 40_000;
            long tm1 = 200 * mb + saw;
            long tm2 = t0 + t < kill ? 300 * mb + saw : t0 + t < kill + 10_000 ? -1 : 150 * mb + saw;
            boolean minute = t % 60_000 == 0;
            long live1 = minute ? 200 * mb + (2 * mb * t) / 60_000 : -1;
            long live2 = !minute || tm2 < 0 ? -1 : t0 + t < kill ? 300 * mb : 150 * mb;
            long lag = t0 + t < kill ? 100 : t0 + t < kill + 30_000 ? 5000 : t0 + t < kill + 300_000 - 6000 ? 50 : 0;
            csv.append(t0 + t).append(',').append(t * 2).append(',').append(lag).append(',').append(tm1).append(',')
                    .append(tm2).append(',').append(live1).append(',').append(live2).append('\n');
        }
        Files.writeString(dir.resolve("soak.csv"), csv);
        Files.writeString(dir.resolve("kill.txt"), Long.toString(kill));
        Files.writeString(dir.resolve("checkpoints.json"), "{\"history\":["
                + entry(3, t0 + 30_000, 900) + "," + entry(2, t0 + 20_000, 100) + "," + entry(1, t0 + 10_000, 200)
                + ",{\"className\":\"in_progress\",\"id\":4,\"status\":\"IN_PROGRESS\",\"latest_ack_timestamp\":-1,"
                + "\"end_to_end_duration\":-1,\"tasks\":{}}]}");
        SoakReport r = SoakReport.read(dir.resolve("soak.csv"), dir.resolve("kill.txt"), dir.resolve("checkpoints.json"));
        assertEquals(4, r.slopes.size(), "two lives of each TaskManager");
        assertEquals(2.0, r.slopes.get(0), 1e-6, "tm-1 before the kill: 2 MB/min of live heap, whatever the sawtooth");
        assertEquals(2.0, r.slopes.get(1), 1e-6, "tm-1 after");
        assertEquals(0.0, r.slopes.get(2), 1e-9, "tm-2 flat");
        assertEquals(0.0, r.slopes.get(3), 1e-9, "tm-2 flat after its restart");
        StringBuilder idle = new StringBuilder("t_ms,produced,lag,heap_tm-1\n");
        for (long t = 0; t <= 600_000; t += 2000) {
            idle.append(t0 + t).append(",0,0,").append(25L * (1 << 20) + t * 100).append('\n');
        }
        Files.writeString(dir.resolve("idle.csv"), idle);
        SoakReport none = SoakReport.read(dir.resolve("idle.csv"), dir.resolve("none.txt"), dir.resolve("none.json"));
        assertTrue(none.slopes.get(0).isNaN(), "without live-heap samples, used heap is only allocation: no slope");
        assertEquals(3, r.checkpoints.size(), "completed checkpoints only");
        assertEquals(200, r.checkpointPercentile(0.5));
        assertEquals(900, r.checkpointPercentile(1.0));
        assertEquals(5000, r.lagPeak);
        assertEquals(0, r.lagEnd);
        assertEquals(28.0, r.recoverySeconds, 0.01, "the last sample above the pre-kill peak, 28 s after the kill");
        assertTrue(r.line().startsWith("soak: seconds=600 samples=301 heap_slope_mb_per_min="), r.line());
        r.writeHtml(dir.resolve("soak.html"));
        assertEquals(4, Files.readString(dir.resolve("soak.html")).split("<svg").length - 1);
    }

    @Test
    void checkpointsComeFromFlinksAnswerByJacksonOncePerId(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("checkpoints.json");
        Files.writeString(json, "{\"counts\":{\"completed\":3},\"latest\":{\"completed\":" + entry(5, 50, 7) + "},"
                + "\"history\":[" + entry(5, 50, 7) + "," + entry(4, 40, 6) + ",{\"className\":\"failed\",\"id\":3,"
                + "\"status\":\"FAILED\",\"latest_ack_timestamp\":30,\"end_to_end_duration\":1}]}");
        List<long[]> c = SoakReport.completed(json);
        assertEquals(2, c.size(), "the latest completed is also in the history: counted once; failed ones not");
        assertArrayEquals(new long[] {40, 6}, c.get(0));
        assertArrayEquals(new long[] {50, 7}, c.get(1));
        Files.writeString(json, "<html>not json");
        assertTrue(assertThrows(java.io.IOException.class, () -> SoakReport.completed(json)).getMessage()
                .contains("not Flink's checkpoints JSON"));
    }

    @Test
    void aRestAnswerThatIsNotJsonIsNothing() {
        assertTrue(SoakSampler.tree("").isMissingNode());
        assertTrue(SoakSampler.tree("<html>").isMissingNode());
        assertEquals("tm-1", SoakSampler.tree("{\"taskmanagers\":[{\"id\":\"tm-1\"}]}").path("taskmanagers").path(0)
                .path("id").asText());
    }

    private static String entry(int id, long ack, long duration) {
        return "{\"className\":\"completed\",\"id\":" + id + ",\"status\":\"COMPLETED\",\"is_savepoint\":false,"
                + "\"latest_ack_timestamp\":" + ack + ",\"checkpointed_size\":5,\"end_to_end_duration\":" + duration
                + ",\"tasks\":{}}";
    }
}
