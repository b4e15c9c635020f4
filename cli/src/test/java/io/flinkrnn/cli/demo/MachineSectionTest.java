package io.flinkrnn.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.cli.data.MachineGenerator;
import io.flinkrnn.cli.data.MachineSeries;
import io.flinkrnn.cli.data.SeriesGenerator;
import io.flinkrnn.models.json.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's machine section: the job's anomalous stretches shaded beside the labelled fault, each with its cause,
 * every name escaped.
 */
@Timeout(120)
class MachineSectionTest {
    /** The generator's pump, fed as its job would: anomalous on two stretches, the second over the fault. */
    static MachineTracker pump(MachineSeries m) {
        MachineTracker t = new MachineTracker(m);
        int start = m.faultStart();
        for (int r = 0; r < m.rows(); r++) {
            boolean early = r >= 100 && r < 104;
            boolean fault = r >= start + 2 && r < start + m.faultRows() + 10;
            t.accept(m.name, m.times[r], m.row(r), early || fault, early ? "flow" : fault ? "vibration" : null);
        }
        return t;
    }

    @Test
    void theMachineSectionShadesTheAnomalousStretchesMarksTheFaultAndNamesTheCause(@TempDir Path tmp)
            throws Exception {
        DemoSeries s = SeriesGenerator.generate(2, 400, 3);
        MachineSeries m = MachineGenerator.generate(400, 3);
        Path file = tmp.resolve("demo-report.html");
        DemoReport.write(file, s, new ForecastTracker(s), pump(m), Map.of(), List.of("key"), List.of(), "v");
        String html = Files.readString(file);
        assertTrue(html.contains("<h2 id=\"machine\">Machine: pump-1</h2>"), "the section is there");
        assertTrue(html.contains("<td>vibration (" + (m.faultRows() + 8) + " rows)</td><td>yes</td>"),
                "the stretch over the fault names vibration: " + html);
        assertTrue(html.contains("<td>flow (4 rows)</td><td>no</td>"), "the early stretch names its own cause");
        assertTrue(html.contains("cause named most during the fault: vibration"), "the verdict names the cause");

        String dom = Chromium.dumpDom(file, tmp.resolve("profile"));
        assertTrue(dom.contains("data-machine-charts=\"4\""), "a chart per sensor: " + DemoReportTest.head(dom));
        Matcher r = Pattern.compile("class=\"chart machine\" data-rendered=\"(\\d+)\"").matcher(dom);
        int charts = 0;
        while (r.find()) {
            charts++;
            assertTrue(Integer.parseInt(r.group(1)) > 790, "actual and forecast points drawn: " + r.group(1));
        }
        assertEquals(4, charts);
        assertEquals(2 * 4, DemoReportTest.count(dom, "class=\"anomalous\""),
                "both stretches shaded across all four charts");
        assertEquals(4, DemoReportTest.count(dom, "class=\"fault\""), "the labelled fault marked on every chart");
        assertTrue(dom.contains(">cause: vibration</text>") && dom.contains(">cause: flow</text>"),
                "each stretch's cause on the chart");
        assertEquals(2, DemoReportTest.count(dom, "class=\"chart\" data-rendered"),
                "the keys' charts as before");
    }

    @Test
    void withoutAMachineThereIsNoSection(@TempDir Path tmp) throws Exception {
        String html = Files.readString(DemoReportTest.report(tmp, 2));
        assertFalse(html.contains("id=\"machine\""));
        assertTrue(html.contains("<script type=\"application/json\" id=\"machine-data\">null</script>"));
    }

    @Test
    void theMachinesNamesAreEscapedInTheMarkupAndRoundTripThroughTheJson(@TempDir Path tmp) throws Exception {
        String name = "pump <b>&\"1\"</script>";
        String sensor = "vib<i>ration</i>";
        MachineSeries m = MachineTrackerTest.machine(name, List.of(sensor, "flow"));
        MachineTracker t = MachineTrackerTest.fed(m, 45, 70, sensor, "flow");
        DemoSeries s = SeriesGenerator.generate(1, 100, 3);
        Path file = tmp.resolve("r.html");
        DemoReport.write(file, s, new ForecastTracker(s), t, Map.of(), List.of("key"), List.of(), "v");
        String html = Files.readString(file);
        assertFalse(html.contains("<b>&") || html.contains("<i>ration"), "no raw markup from the names");
        assertTrue(html.contains("Machine: pump &lt;b&gt;&amp;&quot;1&quot;&lt;/script&gt;</h2>"), html);
        assertTrue(html.contains("<td>vib&lt;i&gt;ration&lt;/i&gt; ("), "the cause escaped in the table");
        String marker = "id=\"machine-data\">";
        int at = html.indexOf(marker) + marker.length();
        JsonNode data = ReportJson.mapper().readTree(html.substring(at, html.indexOf("</script>", at)));
        assertEquals(name, data.path("key").asText());
        assertEquals(sensor, data.path("sensors").get(0).path("name").asText());
        assertEquals("cause: " + sensor, data.path("stretches").get(0).path("label").asText());
        assertEquals(m.times[40], data.path("fault").path("from").asLong());
        assertEquals(m.times[59], data.path("fault").path("to").asLong());
    }
}
