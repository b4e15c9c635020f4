package io.flinkrnn.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.cli.data.SeriesGenerator;
import io.flinkrnn.models.json.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The report is one self-contained file whose charts really render in a browser. */
@Timeout(120)
class DemoReportTest {

    static Path report(Path dir, int keys) throws Exception {
        DemoSeries s = SeriesGenerator.generate(keys, 400, 3);
        ForecastTracker t = new ForecastTracker(s);
        for (DemoSeries.Key k : s.keys) {
            for (int r = 0; r < k.rows(); r++) {
                float v = k.values[r];
                t.accept(k.name, k.times[r], List.of(v + 0.1f, v), r < 10 ? null : k.anomalies[r] ? 0.9f : 0.1f,
                        List.of(v - 0.5f, v - 1f), List.of(v + 0.7f, v + 1f), r >= 10 && k.anomalies[r]);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("sensor-00", "400"));
        Path file = dir.resolve("demo-report.html");
        DemoReport.write(file, s, t, null, Map.of("rate", "500 events/s", "note", "<b>escaped</b>"),
                List.of("key", "events"), rows, "events=400 missing=0");
        return file;
    }

    @Test
    void isSelfContained(@TempDir Path tmp) throws Exception {
        String html = Files.readString(report(tmp, 3));
        assertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"), "no network references");
        assertFalse(html.contains("src=\""), "no external scripts or images");
        assertFalse(html.contains("<b>escaped</b>"), "configuration values are escaped");
        assertTrue(html.contains("&lt;b&gt;escaped&lt;/b&gt;"));
    }

    @Test
    void chartsRenderInHeadlessChromium(@TempDir Path tmp) throws Exception {
        Path file = report(tmp, 14);
        String dom = Chromium.dumpDom(file, tmp.resolve("profile"));
        assertTrue(dom.contains("data-charts=\"12\""), "the busiest 12 of 14 keys get a chart: " + head(dom));
        Matcher m = Pattern.compile("class=\"chart\" data-rendered=\"(\\d+)\"").matcher(dom);
        int charts = 0;
        while (m.find()) {
            charts++;
            assertTrue(Integer.parseInt(m.group(1)) > 700, "points drawn: " + m.group(1));
        }
        assertEquals(12, charts);
        assertEquals(12, count(dom, "class=\"forecast\""));
        assertEquals(12, count(dom, "class=\"actual\""));
        assertTrue(count(dom, "class=\"anomaly\"") > 0, "injected anomalies are marked");
        assertEquals(count(dom, "class=\"anomaly\""), count(dom, "class=\"flagged\""),
                "here exactly the injected points get the job's flag");
        assertEquals(12, count(dom, "class=\"band\""), "every chart draws the interval band");
        assertTrue(dom.contains("MAE of one-step forecasts"));
    }

    @Test
    void awkwardKeyNamesRoundTripThroughTheEmbeddedJson(@TempDir Path tmp) throws Exception {
        String name = "Seattle, WA \"north\" \\ C:\\x\nZürich 東京 </script><b>";
        long[] t = {0, 60_000, 120_000};
        DemoSeries s = new DemoSeries("a \"b\" <c>.csv", "v", List.of(new DemoSeries.Key(name, t, new float[] {1, 2, 3},
                new boolean[3])));
        ForecastTracker tracker = new ForecastTracker(s);
        Path file = tmp.resolve("r.html");
        DemoReport.write(file, s, tracker, null, Map.of(), List.of("key"), List.of(List.of(name)), "v");
        String html = Files.readString(file);
        assertTrue(html.contains("<p class=\"sub\">a &quot;b&quot; &lt;c&gt;.csv &mdash;"), html);
        String json = html.substring(html.indexOf("id=\"data\">") + 10, html.indexOf("</script>"));
        JsonNode chart = ReportJson.mapper().readTree(json).get(0);
        assertEquals(name, chart.path("key").asText());
        assertEquals(3.0, chart.path("actual").get(2).asDouble());
        assertTrue(chart.path("forecast").get(0).isNull(), "no forecast before the first row: null");
        assertTrue(chart.path("score").get(1).isNull(), "no anomaly score (NaN): null, as before");
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static String head(String s) {
        return s.length() > 400 ? s.substring(0, 400) : s;
    }
}
