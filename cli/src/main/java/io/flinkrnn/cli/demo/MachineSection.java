package io.flinkrnn.cli.demo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.flinkrnn.cli.data.MachineSeries;
import io.flinkrnn.cli.html.HtmlTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's section for the machine key, so a reader can set what the job said beside what happened: each
 * sensor's actual values and one-step forecasts on charts that share one time axis, the rows the job held {@code
 * anomalous} shaded across all of them, the labelled fault marked above them, and a table of the anomalous
 * stretches with the cause the job named most often in each. The markup (heading, verdict, table) is built from
 * escaped values; the charts' data goes to the page as JSON for its script.
 */
final class MachineSection {
    private MachineSection() {
    }

    /** The charts' data: one time axis, a series per sensor, the stretches and the fault as time ranges. */
    @JsonPropertyOrder({"key", "t", "step", "sensors", "stretches", "fault"})
    record Data(String key, long[] t, long step, List<Sensor> sensors, List<Band> stretches, Band fault) {
    }

    /** One sensor: actual and one-step forecast per point (null where none). */
    @JsonPropertyOrder({"name", "actual", "forecast"})
    record Sensor(String name, Double[] actual, Double[] forecast) {
    }

    /** A time range [from, to] of rows (event times of its first and last row) and its label. */
    @JsonPropertyOrder({"from", "to", "label"})
    record Band(long from, long to, String label) {
    }

    /** The JSON data for the page's script, or null without a machine. */
    static Data data(MachineTracker tracker) {
        if (tracker == null) {
            return null;
        }
        MachineSeries m = tracker.machine();
        int n = m.rows();
        int stride = Math.max(1, (n + DemoReport.MAX_POINTS - 1) / DemoReport.MAX_POINTS);
        int points = (n + stride - 1) / stride;
        long[] t = new long[points];
        for (int i = 0; i < points; i++) {
            t[i] = m.times[i * stride];
        }
        List<Sensor> sensors = new ArrayList<>();
        for (int s = 0; s < m.sensors.size(); s++) {
            float[] next = tracker.nextStep(s);
            Double[] actual = new Double[points];
            Double[] forecast = new Double[points];
            for (int i = 0; i < points; i++) {
                int r = i * stride;
                actual[i] = DemoReport.num(m.value(r, s));
                forecast[i] = r > 0 ? DemoReport.num(next[r - 1]) : null;
            }
            sensors.add(new Sensor(m.sensors.get(s), actual, forecast));
        }
        List<Band> stretches = new ArrayList<>();
        for (MachineTracker.Stretch s : tracker.stretches()) {
            stretches.add(new Band(m.times[s.from()], m.times[s.to()], s.cause() == null ? "no cause named"
                    : "cause: " + s.cause()));
        }
        int start = m.faultStart();
        Band fault = start < 0 ? null : new Band(m.times[start], m.times[start + m.faultRows() - 1],
                "labelled fault");
        long step = n > 1 ? m.times[1] - m.times[0] : 1;
        return new Data(m.name, t, step, sensors, stretches, fault);
    }

    /** The section's markup: heading, the fault, the verdict and the stretches' table; empty without a machine. */
    static String markup(MachineTracker tracker) {
        if (tracker == null) {
            return "";
        }
        MachineSeries m = tracker.machine();
        List<List<String>> rows = new ArrayList<>();
        int i = 1;
        for (MachineTracker.Stretch s : tracker.stretches()) {
            rows.add(List.of(Integer.toString(i++), Instant.ofEpochMilli(m.times[s.from()]).toString(),
                    Instant.ofEpochMilli(m.times[s.to()]).toString(), Integer.toString(s.rows()),
                    s.cause() == null ? "-" : s.cause() + " (" + s.causeRows() + " rows)",
                    s.meetsFault() ? "yes" : "no"));
        }
        StringBuilder b = new StringBuilder();
        b.append("<h2 id=\"machine\">Machine: ").append(HtmlTemplate.escape(m.name)).append("</h2>\n");
        b.append("<p>").append(HtmlTemplate.escape(m.sensors.size() + " sensors (" + String.join(", ", m.sensors)
                + ") in one observation per row; one model with every sensor a feature and a target, in its own"
                + " job. Injected: " + m.faultDescription + ".")).append("</p>\n");
        b.append("<p class=\"verdict\">").append(HtmlTemplate.escape(tracker.verdict().describe())).append("</p>\n");
        b.append("<p class=\"legend\"><span class=\"a\">&#9644; actual</span> <span class=\"f\">&#9644; one-step"
                + " forecast</span> <span class=\"s\">&#9608; anomalous (the job's <code>anomalous</code>)</span>"
                + " <span class=\"x\">&#9644; labelled fault</span></p>\n");
        b.append("<div id=\"machine-charts\"></div>\n");
        b.append(rows.isEmpty() ? "<p>The job held no row anomalous.</p>\n" : HtmlTemplate.table(List.of("stretch",
                "from", "to", "rows", "cause named most", "meets the labelled fault"), rows));
        return b.toString();
    }
}
