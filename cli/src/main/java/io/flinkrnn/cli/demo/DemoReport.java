package io.flinkrnn.cli.demo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.cli.html.HtmlTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code demo-report.html}: one self-contained file (inline CSS, data and a small script that draws SVG; no
 * network; the page is the resource {@code report.html}, filled by {@link HtmlTemplate}) with the configuration, the
 * summary table, the machine's section when there is a machine ({@link MachineSection}) and, for each key (the
 * busiest 12 when there are more), actual values against the one-step forecasts over time with the forecast error
 * below. Each chart marks itself {@code data-rendered="<points>"} once drawn, which the browser test checks.
 */
public final class DemoReport {
    static final int MAX_CHARTS = 12;
    static final int MAX_POINTS = 800;

    private DemoReport() {
    }

    public static void write(Path file, DemoSeries series, ForecastTracker tracker, MachineTracker machine,
            Map<String, String> config, List<String> summaryHeader, List<List<String>> summaryRows, String verdict)
            throws IOException {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < series.keys.size(); k++) {
            order.add(k);
        }
        order.sort(Comparator.comparingInt((Integer k) -> -series.keys.get(k).rows()).thenComparing(k -> k));
        List<Chart> charts = new ArrayList<>();
        for (int i = 0; i < Math.min(MAX_CHARTS, order.size()); i++) {
            int k = order.get(i);
            charts.add(chart(series.keys.get(k), tracker.nextStepForecasts(k), tracker.anomalyScores(k),
                    tracker.flags(k), tracker.nextStepIntervals(k)));
        }
        List<List<String>> cfg = new ArrayList<>();
        config.forEach((k, v) -> cfg.add(List.of(k, v)));
        String page = HtmlTemplate.resource(DemoReport.class, "report.html")
                .text("source", series.source)
                .text("verdict", verdict)
                .markup("summary", HtmlTemplate.table(summaryHeader, summaryRows))
                .markup("machine", MachineSection.markup(machine))
                .markup("configuration", HtmlTemplate.table(List.of("setting", "value"), cfg))
                .json("data", charts)
                .json("machineData", MachineSection.data(machine))
                .render();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, page, StandardCharsets.UTF_8);
    }

    /**
     * One key's chart, thinned: t, actual, forecast (at the time it predicts; null where none), lo and hi (its
     * interval), anomaly (injected, 1/0), score (the job's anomaly score, null where none), flag (flagged by the
     * job, 1/0). Values to 5 significant digits, which is all a chart shows.
     */
    @JsonPropertyOrder({"key", "t", "actual", "forecast", "lo", "hi", "anomaly", "score", "flag"})
    record Chart(String key, long[] t, Double[] actual, Double[] forecast, Double[] lo, Double[] hi, int[] anomaly,
            Double[] score, int[] flag) {
    }

    private static Chart chart(DemoSeries.Key key, float[] nextStep, float[] scores, boolean[] flags, float[][] band) {
        int n = key.rows();
        int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        int points = (n + stride - 1) / stride;
        Chart c = new Chart(key.name, new long[points], new Double[points], new Double[points], new Double[points],
                new Double[points], new int[points], new Double[points], new int[points]);
        for (int i = 0, r = 0; r < n; i++, r += stride) {
            // keep an injected anomaly, or else the highest anomaly score, inside the stride visible
            int pick = r;
            for (int j = r; j < Math.min(n, r + stride); j++) {
                if (key.anomalies[j] || flags[j]) {
                    pick = j;
                    break;
                }
                if (scores[j] > (Float.isNaN(scores[pick]) ? Float.NEGATIVE_INFINITY : scores[pick])) {
                    pick = j;
                }
            }
            c.t[i] = key.times[pick];
            c.actual[i] = num(key.values[pick]);
            c.forecast[i] = pick > 0 ? num(nextStep[pick - 1]) : null;
            c.lo[i] = pick > 0 ? num(band[0][pick - 1]) : null;
            c.hi[i] = pick > 0 ? num(band[1][pick - 1]) : null;
            c.anomaly[i] = key.anomalies[pick] ? 1 : 0;
            c.score[i] = num(scores[pick]);
            c.flag[i] = flags[pick] ? 1 : 0;
        }
        return c;
    }

    /** Five significant digits; null where not finite. */
    static Double num(float v) {
        return Float.isFinite(v) ? Double.valueOf(String.format(Locale.ROOT, "%.5g", v)) : null;
    }
}
