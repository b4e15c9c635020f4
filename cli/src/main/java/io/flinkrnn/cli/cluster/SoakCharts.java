package io.flinkrnn.cli.cluster;

import io.flinkrnn.cli.html.HtmlTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak report's page: offered rate, consumer lag, each TaskManager's heap and checkpoint durations over
 * time, as inline SVG (no scripts, no network), with the kill marked. One self-contained HTML file: the page is
 * the resource {@code soak-report.html}, the charts are drawn here from escaped titles and numbers.
 */
final class SoakCharts {
    private static final int W = 900;
    private static final int H = 180;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    private SoakCharts() {
    }

    static String page(SoakReport r) {
        long t0 = r.rows.get(0)[0];
        long t1 = r.rows.get(r.rows.size() - 1)[0];
        StringBuilder b = new StringBuilder();
        List<double[]> rate = new ArrayList<>();
        for (int i = 1; i < r.rows.size(); i++) {
            long[] a = r.rows.get(i - 1);
            long[] c = r.rows.get(i);
            if (a[1] >= 0 && c[1] >= 0 && c[0] > a[0]) {
                rate.add(new double[] {c[0], (c[1] - a[1]) * 1000.0 / (c[0] - a[0])});
            }
        }
        b.append(chart("offered rate (events/s)", List.of(rate), List.of("rate"), t0, t1, r.killMillis));
        b.append(chart("consumer lag (records not yet covered by a checkpoint)", List.of(column(r, 2)),
                List.of("lag"), t0, t1, r.killMillis));
        List<List<double[]>> heaps = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < r.heapColumns.size(); c++) {
            heaps.add(megabytes(column(r, 3 + c)));
            names.add(r.heapColumns.get(c));
            if (r.liveColumns.get(c) >= 0) {
                heaps.add(megabytes(column(r, r.liveColumns.get(c))));
                names.add(r.heapColumns.get(c) + " live");
            }
        }
        b.append(chart("TaskManager heap used, and live after a full GC (MB)", heaps, names, t0, t1, r.killMillis));
        List<double[]> cps = new ArrayList<>();
        for (long[] c : r.checkpoints) {
            cps.add(new double[] {c[0], c[1]});
        }
        b.append(chart("checkpoint duration (ms), at completion", List.of(cps), List.of("checkpoint"), t0, t1,
                r.killMillis));
        return HtmlTemplate.resource(SoakCharts.class, "soak-report.html").text("line", r.line())
                .markup("charts", b.toString()).render();
    }

    private static List<double[]> megabytes(List<double[]> bytes) {
        List<double[]> s = new ArrayList<>();
        for (double[] p : bytes) {
            s.add(new double[] {p[0], p[1] / 1048576.0});
        }
        return s;
    }

    private static List<double[]> column(SoakReport r, int c) {
        List<double[]> s = new ArrayList<>();
        for (long[] row : r.rows) {
            if (row[c] >= 0) {
                s.add(new double[] {row[0], row[c]});
            }
        }
        return s;
    }

    private static String chart(String title, List<List<double[]>> series, List<String> names, long t0, long t1,
            long kill) {
        double max = 1;
        for (List<double[]> s : series) {
            for (double[] p : s) {
                max = Math.max(max, p[1]);
            }
        }
        double span = Math.max(1, t1 - t0);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<h3>%s</h3><svg width=\"%d\" height=\"%d\">",
                HtmlTemplate.escape(title), W, H + 20));
        b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"12\" font-size=\"11\">%.0f</text>"
                + "<text x=\"4\" y=\"%d\" font-size=\"11\">0</text><text x=\"%d\" y=\"%d\" font-size=\"11\">%.0f s"
                + "</text>", max, H, W - 60, H + 16, span / 1000));
        if (kill > t0 && kill < t1) {
            double x = 50 + (kill - t0) / span * (W - 60);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\""
                    + " stroke-dasharray=\"4\"/><text x=\"%.1f\" y=\"24\" font-size=\"11\">kill -9</text>", x, x, H,
                    x + 4));
        }
        for (int i = 0; i < series.size(); i++) {
            StringBuilder pts = new StringBuilder();
            for (double[] p : series.get(i)) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", 50 + (p[0] - t0) / span * (W - 60),
                        H - p[1] / max * (H - 10)));
            }
            String colour = COLOURS[i % COLOURS.length];
            b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" points=\"").append(pts)
                    .append("\"/>");
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\">%s</text>",
                    W - 160 + 70 * (i % 2), 12 + 12 * (i / 2), colour, HtmlTemplate.escape(names.get(i))));
        }
        return b.append("</svg>").toString();
    }
}
