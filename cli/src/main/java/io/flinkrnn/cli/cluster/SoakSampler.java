package io.flinkrnn.cli.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.flinkrnn.cli.kafka.ConsumerLag;
import io.flinkrnn.models.json.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The soak check's sampler: every {@code interval}, one CSV row {@code t_ms,produced,lag,heap_tm-1,...,
 * live_tm-1,...} — the observations topic's latest offsets summed, the job's consumer lag (records not yet
 * covered by a checkpoint), each TaskManager's used heap from Flink's REST API (-1 while it is down), and once
 * a minute each TaskManager's live heap: {@code jcmd PID GC.run}, then the heap used after that full
 * collection ({@code GC.heap_info}), which is what a leak would grow (used heap between collections is only
 * allocation). -1 in the rows between. Runs until {@code stopFile} exists.
 */
public final class SoakSampler {
    /** The soak's TaskManagers (resource ids the scripts give them). */
    private static final Pattern TM = Pattern.compile("tm-\\d+");

    private SoakSampler() {
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final long LIVE_EVERY_MS = 60_000;

    public static void run(String bootstrap, String rest, String group, String topic, Path runDir, Path csv,
            Path stopFile, Duration interval, int taskManagers) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            StringBuilder header = new StringBuilder("t_ms,produced,lag");
            for (int n = 1; n <= taskManagers; n++) {
                header.append(",heap_tm-").append(n);
            }
            for (int n = 1; n <= taskManagers; n++) {
                header.append(",live_tm-").append(n);
            }
            out.println(header);
            long nextLive = System.currentTimeMillis() + LIVE_EVERY_MS / 2;
            while (!Files.exists(stopFile)) {
                long t = System.currentTimeMillis();
                long produced = produced(admin, topic);
                long lag = lag(admin, group, topic);
                Map<String, Long> heaps = heaps(http, rest);
                StringBuilder row = new StringBuilder().append(t).append(',').append(produced).append(',').append(lag);
                for (int n = 1; n <= taskManagers; n++) {
                    row.append(',').append(heaps.getOrDefault("tm-" + n, -1L));
                }
                boolean live = t >= nextLive;
                if (live) {
                    nextLive += LIVE_EVERY_MS;
                }
                for (int n = 1; n <= taskManagers; n++) {
                    row.append(',').append(live ? liveHeap(runDir.resolve("taskmanager-" + n + ".pid")) : -1L);
                }
                out.println(row);
                out.flush();
                Thread.sleep(Math.max(0, interval.toMillis() - (System.currentTimeMillis() - t)));
            }
        }
    }

    private static long produced(Admin admin, String topic) {
        try {
            return ConsumerLag.latest(admin, topic).values().stream().mapToLong(Long::longValue).sum();
        } catch (Exception e) {
            return -1; // the broker busy for a moment: a gap in the chart, not a failed check
        }
    }

    private static long lag(Admin admin, String group, String topic) {
        try {
            return ConsumerLag.of(admin, group, topic);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The heap a TaskManager uses right after a full collection, in bytes; -1 when it is down. */
    static long liveHeap(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return -1;
            }
            String pid = Files.readString(pidFile).trim();
            if (jcmd(pid, "GC.run") == null) {
                return -1;
            }
            String info = jcmd(pid, "GC.heap_info");
            Matcher m = info == null ? null : USED.matcher(info);
            return m != null && m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String jcmd(String pid, String command) {
        try {
            Process p = new ProcessBuilder("jcmd", pid, command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Used heap of every registered TaskManager, by resource id. */
    private static Map<String, Long> heaps(HttpClient http, String rest) {
        Map<String, Long> heaps = new TreeMap<>();
        for (JsonNode tm : tree(get(http, rest + "/taskmanagers")).path("taskmanagers")) {
            String id = tm.path("id").asText();
            if (!TM.matcher(id).matches()) {
                continue;
            }
            for (JsonNode metric : tree(get(http, rest + "/taskmanagers/" + id
                    + "/metrics?get=Status.JVM.Memory.Heap.Used"))) {
                JsonNode value = metric.path("value");
                if ("Status.JVM.Memory.Heap.Used".equals(metric.path("id").asText()) && !value.isMissingNode()) {
                    try {
                        heaps.put(id, (long) Double.parseDouble(value.asText()));
                    } catch (NumberFormatException e) {
                        // not a number yet: no sample for this TaskManager this time
                    }
                }
            }
        }
        return heaps;
    }

    /** Flink's REST answer as a tree; nothing (a missing node) when it did not answer or not with JSON. */
    static JsonNode tree(String body) {
        try {
            return ReportJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    static String get(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
