package io.flinkrnn.cli.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.flinkrnn.models.csv.CsvReader;
import io.flinkrnn.models.json.ReportJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a soak run shows, from the sampler's CSV ({@link SoakSampler}), the kill time and the job's checkpoint
 * history (Flink's REST answer): the heap slope of each TaskManager life after warm-up (a linear fit to its
 * live heap, sampled after a full collection once a minute, so allocation between collections does not count), checkpoint durations, the consumer
 * lag (its peak, its value at the end, how long it took after the kill to fall back to its peak before the
 * kill), and an HTML page with the four series over time. {@link #line()} is one {@code soak: ...} line.
 */
public final class SoakReport {
    final List<long[]> rows = new ArrayList<>();
    final List<String> heapColumns = new ArrayList<>();
    /** Column of each TaskManager's live heap (after a full collection), -1 when the run has none. */
    final List<Integer> liveColumns = new ArrayList<>();
    final List<long[]> checkpoints = new ArrayList<>();
    final long killMillis;
    final List<Double> slopes = new ArrayList<>();
    long lagPeak;
    long lagEnd;
    double recoverySeconds = Double.NaN;

    private SoakReport(long killMillis) {
        this.killMillis = killMillis;
    }

    public static SoakReport read(Path csv, Path killFile, Path checkpointsJson) throws IOException {
        long kill = Files.exists(killFile) ? Long.parseLong(Files.readString(killFile).trim()) : Long.MAX_VALUE;
        SoakReport r = new SoakReport(kill);
        try (CsvReader in = CsvReader.open(csv, ',')) {
            List<String> header = in.header();
            for (int i = 3; i < header.size(); i++) {
                if (header.get(i).startsWith("heap_")) {
                    String tm = header.get(i).substring(5);
                    r.heapColumns.add(tm);
                    r.liveColumns.add(header.indexOf("live_" + tm));
                }
            }
            for (CsvReader.Row line = in.next(); line != null; line = in.next()) {
                String[] f = line.fields();
                long[] row = new long[f.length];
                try {
                    for (int i = 0; i < f.length; i++) {
                        row[i] = Long.parseLong(f[i]);
                    }
                } catch (NumberFormatException e) {
                    throw in.bad(line, "not a whole number: " + e.getMessage());
                }
                r.rows.add(row);
            }
        }
        if (Files.exists(checkpointsJson)) {
            r.checkpoints.addAll(completed(checkpointsJson));
        }
        r.analyse();
        return r;
    }

    /**
     * (acknowledged at, end-to-end ms) of each completed checkpoint in Flink's {@code /jobs/ID/checkpoints}
     * answer: its history and its latest completed one (also in the history when the history is not full), by
     * id, in time order.
     */
    static List<long[]> completed(Path checkpointsJson) throws IOException {
        JsonNode root;
        try {
            root = ReportJson.mapper().readTree(checkpointsJson.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(checkpointsJson + ": not Flink's checkpoints JSON: " + e.getOriginalMessage(), e);
        }
        Map<Long, long[]> byId = new TreeMap<>();
        List<JsonNode> entries = new ArrayList<>();
        root.path("history").forEach(entries::add);
        entries.add(root.path("latest").path("completed"));
        for (JsonNode c : entries) {
            if ("COMPLETED".equals(c.path("status").asText()) && c.path("id").canConvertToLong()) {
                byId.put(c.path("id").asLong(), new long[] {c.path("latest_ack_timestamp").asLong(),
                        c.path("end_to_end_duration").asLong()});
            }
        }
        List<long[]> list = new ArrayList<>(byId.values());
        list.sort((a, b) -> Long.compare(a[0], b[0]));
        return list;
    }

    private void analyse() {
        long t0 = rows.get(0)[0];
        long t1 = rows.get(rows.size() - 1)[0];
        long warm = t0 + (t1 - t0) / 5;
        for (int c = 0; c < heapColumns.size(); c++) {
            // One life before the kill (after warm-up), one after the restart (after its own 20 % warm-up).
            long restart = killMillis == Long.MAX_VALUE ? t1 : killMillis + (t1 - killMillis) / 5;
            int live = liveColumns.get(c);
            slopes.add(live < 0 ? Double.NaN : slope(live, warm, Math.min(killMillis, t1)));
            if (killMillis != Long.MAX_VALUE) {
                slopes.add(live < 0 ? Double.NaN : slope(live, restart, t1));
            }
        }
        long peakBeforeKill = 0;
        for (long[] row : rows) {
            lagPeak = Math.max(lagPeak, row[2]);
            if (row[0] < killMillis) {
                peakBeforeKill = Math.max(peakBeforeKill, row[2]);
            }
        }
        lagEnd = rows.get(rows.size() - 1)[2];
        long lastAbove = -1;
        for (long[] row : rows) {
            if (row[0] > killMillis && row[2] > peakBeforeKill) {
                lastAbove = row[0];
            }
        }
        if (killMillis != Long.MAX_VALUE) {
            recoverySeconds = lastAbove < 0 ? 0 : (lastAbove - killMillis) / 1000.0;
        }
    }

    /** MB per minute: least squares over the live-heap samples in [from, to); NaN with fewer than 3. */
    private double slope(int column, long from, long to) {
        List<double[]> points = new ArrayList<>();
        for (long[] row : rows) {
            if (row[0] >= from && row[0] < to && row[column] > 0) {
                points.add(new double[] {row[0] / 60_000.0, row[column] / 1048576.0});
            }
        }
        if (points.size() < 3) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (double[] p : points) {
            mx += p[0] / points.size();
            my += p[1] / points.size();
        }
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxy / sxx;
    }

    long checkpointPercentile(double q) {
        List<Long> d = new ArrayList<>();
        checkpoints.forEach(c -> d.add(c[1]));
        d.sort(null);
        return d.isEmpty() ? -1 : d.get((int) Math.min(d.size() - 1, Math.floor(q * d.size())));
    }

    /** The largest heap slope of any TaskManager life (MB/min), NaN if none was long enough. */
    double worstSlope() {
        return slopes.stream().filter(s -> !s.isNaN()).mapToDouble(Math::abs).max().orElse(Double.NaN);
    }

    public String line() {
        long seconds = (rows.get(rows.size() - 1)[0] - rows.get(0)[0]) / 1000;
        List<String> s = new ArrayList<>();
        slopes.forEach(x -> s.add(String.format(Locale.ROOT, "%.2f", x)));
        return String.format(Locale.ROOT, "soak: seconds=%d samples=%d heap_slope_mb_per_min=%s worst=%.2f"
                + " checkpoints=%d checkpoint_ms_p50=%d checkpoint_ms_p90=%d checkpoint_ms_max=%d lag_peak=%d"
                + " lag_end=%d lag_recovered_s=%.0f", seconds, rows.size(), String.join(",", s), worstSlope(),
                checkpoints.size(), checkpointPercentile(0.5), checkpointPercentile(0.9), checkpointPercentile(1.0),
                lagPeak, lagEnd, recoverySeconds);
    }

    public void writeHtml(Path html) throws IOException {
        Files.writeString(html, SoakCharts.page(this), StandardCharsets.UTF_8);
    }
}
