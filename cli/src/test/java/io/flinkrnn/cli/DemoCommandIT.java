package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo end to end on a small input: embedded Kafka, trained models, the real job on a local Flink with
 * its web UI for the keys and again for the machine, every observation answered exactly once, the machine's fault
 * found with its cause, a report; and a demo stopped with a signal leaves no temporary folder behind.
 */
class DemoCommandIT {
    private static final Path TMP = Paths.get(System.getProperty("java.io.tmpdir"));

    @Test
    @Timeout(300)
    void streamsEveryObservationToExactlyOneForecastAndWritesTheReport() throws Exception {
        List<Path> before = demoDirs(TMP);
        Path report = Paths.get("target", "demo-it", "demo-report.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = FlinkRnnCli.run(new String[] {"demo", "--keys", "3", "--rows", "300", "--rate", "1500", "--epochs",
            "2", "--report", report.toString(), "--web-port", "18281", "--swap-after", "450"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, printed + err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("web UI at http://localhost:"), printed);
        assertTrue(printed.contains("demo: events=900 forecasts=900 dead_letters=0 duplicates=0 missing=0"), printed);
        assertTrue(printed.contains("MAE forecast"), printed);
        // --swap-after 450 of 3 keys x 300 rows: version 2 from row 150 of every key, and nowhere before.
        assertTrue(printed.contains("demo: published model version 2"), printed);
        assertTrue(printed.contains("3 of 3 keys switched (column 'v2 from row'); forecasts by version {1=450, 2=450}"),
                printed);
        for (String key : List.of("sensor-00", "road-01", "meter-02")) {
            assertTrue(printed.lines().anyMatch(l -> l.startsWith(key + " ") && l.endsWith(" 150")),
                    key + " switched at row 150: " + printed);
        }
        // The machine: its 300 observations through its own job and back, the fault found, vibration named.
        assertTrue(printed.contains("demo: machine pump-1: events=300 forecasts=300 dead_letters=0"), printed);
        Matcher v = Pattern.compile("detection pump-1: (\\d+) rows anomalous of 300; fault rows caught (\\d+) of (\\d+)"
                + " \\(\\d+%\\), false-alarm rows (\\d+) \\((\\d+) of them the hold after the fault\\), first detected"
                + " (?:on the fault's first row|(\\d+) rows? after the fault began); cause named most during the fault:"
                + " (\\w+) \\((\\d+) of").matcher(printed);
        assertTrue(v.find(), printed);
        int caught = Integer.parseInt(v.group(2));
        int faultRows = Integer.parseInt(v.group(3));
        assertEquals(24, faultRows, "the generator's fault on 300 rows");
        assertTrue(caught >= 0.8 * faultRows, "most fault rows anomalous: " + caught);
        assertTrue(Integer.parseInt(v.group(4)) - Integer.parseInt(v.group(5)) <= 3,
                "few false alarms besides the hold: " + v.group());
        assertTrue(v.group(6) == null || Integer.parseInt(v.group(6)) <= 5, "found early: " + v.group());
        assertEquals("vibration", v.group(7), "the sensor the bearing fault drives");
        assertTrue(Integer.parseInt(v.group(8)) > caught / 2, "named on most rows: " + v.group());
        String html = Files.readString(report);
        assertTrue(html.contains("sensor-00") && html.contains("\"forecast\":["), "report has the keys' data");
        assertTrue(html.contains("Machine: pump-1</h2>") && html.contains("\"label\":\"cause: vibration\""),
                "the report's machine section shades a stretch named for vibration");
        assertTrue(html.contains("model version 2 published after 450 events") && html.contains("v2 from row"),
                "the report shows the switch");
        assertEquals(before, demoDirs(TMP), "the demo removes its temporary folder");
    }

    @Test
    @Timeout(300)
    void aSignalStopsEverythingAndRemovesTheTemporaryFolder() throws Exception {
        Path tmp = Files.createDirectories(Paths.get("target", "demo-signal-tmp")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.io.tmpdir=" + tmp,
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.flinkrnn.schemas", "-cp",
                System.getProperty("java.class.path"), FlinkRnnCli.class.getName(), "demo", "--keys", "2", "--rows",
                "2000", "--rate", "100", "--epochs", "1", "--web-port", "18381", "--report",
                tmp.resolve("r.html").toString()));
        // Output to a file: Process.destroy() closes the pipes, and the last lines come after it.
        Path log = tmp.resolve("demo.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.readString(log).contains("web UI at") && p.isAlive() && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            assertTrue(Files.readString(log).contains("web UI at"), Files.readString(log));
            assertEquals(1, demoDirs(tmp).size(), "while running, the demo has its folder");
            Thread.sleep(3000);
            p.destroy(); // SIGTERM: runs the shutdown hooks, as Ctrl-C does
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the demo exits after the signal");
        } finally {
            p.destroyForcibly();
        }
        String seen = Files.readString(log);
        assertTrue(seen.contains("demo: interrupted, stopping Flink and Kafka"), seen);
        assertEquals(List.of(), demoDirs(tmp), "no temporary folder left behind");
        assertTrue(p.descendants().findAny().isEmpty(), "no child process left");
    }

    private static List<Path> demoDirs(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("flink-rnn-demo-")).sorted().toList();
        }
    }

}
