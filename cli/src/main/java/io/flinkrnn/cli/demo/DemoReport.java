package io.flinkrnn.cli.demo;

import io.flinkrnn.cli.data.DemoSeries;
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
 * network) with the configuration, the summary table and, for each key (the busiest 12 when there are
 * more), actual values against the one-step forecasts over time with the forecast error below. Each chart
 * marks itself {@code data-rendered="<points>"} once drawn, which the browser test checks.
 */
public final class DemoReport {
    static final int MAX_CHARTS = 12;
    static final int MAX_POINTS = 800;

    private DemoReport() {
    }

    public static void write(Path file, DemoSeries series, ForecastTracker tracker, Map<String, String> config,
            List<String> summaryHeader, List<List<String>> summaryRows, String verdict) throws IOException {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < series.keys.size(); k++) {
            order.add(k);
        }
        order.sort(Comparator.comparingInt((Integer k) -> -series.keys.get(k).rows()).thenComparing(k -> k));
        StringBuilder data = new StringBuilder("[");
        for (int i = 0; i < Math.min(MAX_CHARTS, order.size()); i++) {
            int k = order.get(i);
            data.append(i == 0 ? "" : ",").append(chartJson(series.keys.get(k), tracker.nextStepForecasts(k),
                    tracker.anomalyScores(k), tracker.flags(k), tracker.nextStepIntervals(k)));
        }
        data.append(']');
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>flink-rnn demo report</title>\n")
                .append("<style>\n").append(CSS).append("</style></head><body>\n")
                .append("<h1>flink-rnn demo</h1>\n<p class=\"sub\">").append(esc(series.source))
                .append(" &mdash; one LSTM/GRU step per event per key, state in Flink keyed state</p>\n");
        h.append("<h2>Summary</h2>\n<p class=\"verdict\">").append(esc(verdict)).append("</p>\n")
                .append(table(summaryHeader, summaryRows));
        h.append("<h2>Forecasts</h2>\n<p class=\"legend\"><span class=\"a\">&#9644; actual</span> <span class=\"f\">"
                + "&#9644; one-step forecast</span> <span class=\"e\">&#9646; forecast error</span> <span class=\"x\">"
                + "&#9679; injected anomaly</span> <span class=\"e\">&#9675; flagged by the job (anomaly score at or"
                + " above the job's threshold)</span> <span class=\"b\">&#9644; one-step forecast interval</span></p>\n"
                + "<div id=\"charts\"></div>\n");
        List<List<String>> cfg = new ArrayList<>();
        config.forEach((k, v) -> cfg.add(List.of(k, v)));
        h.append("<h2>Configuration</h2>\n").append(table(List.of("setting", "value"), cfg));
        h.append("<script type=\"application/json\" id=\"data\">").append(data.toString().replace("</", "<\\/"))
                .append("</script>\n<script>\n").append(SCRIPT).append("</script>\n</body></html>\n");
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
    }

    /**
     * {key, t[], actual[], forecast[] (at the time it predicts; null where none), lo[], hi[] (its interval),
     * anomaly[] (injected), score[] (the job's anomaly score, null where none), flag[] (flagged by the job)},
     * thinned.
     */
    private static String chartJson(DemoSeries.Key key, float[] nextStep, float[] scores, boolean[] flags,
            float[][] band) {
        int n = key.rows();
        int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        StringBuilder t = new StringBuilder();
        StringBuilder a = new StringBuilder();
        StringBuilder f = new StringBuilder();
        StringBuilder x = new StringBuilder();
        StringBuilder sc = new StringBuilder();
        StringBuilder fl = new StringBuilder();
        StringBuilder lo = new StringBuilder();
        StringBuilder hi = new StringBuilder();
        boolean first = true;
        for (int r = 0; r < n; r += stride) {
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
            String sep = first ? "" : ",";
            first = false;
            t.append(sep).append(key.times[pick]);
            a.append(sep).append(num(key.values[pick]));
            f.append(sep).append(pick > 0 ? num(nextStep[pick - 1]) : "null");
            x.append(sep).append(key.anomalies[pick] ? 1 : 0);
            sc.append(sep).append(num(scores[pick]));
            fl.append(sep).append(flags[pick] ? 1 : 0);
            lo.append(sep).append(pick > 0 ? num(band[0][pick - 1]) : "null");
            hi.append(sep).append(pick > 0 ? num(band[1][pick - 1]) : "null");
        }
        return "{\"key\":" + quote(key.name) + ",\"t\":[" + t + "],\"actual\":[" + a + "],\"forecast\":[" + f
                + "],\"lo\":[" + lo + "],\"hi\":[" + hi + "],\"anomaly\":[" + x + "],\"score\":[" + sc
                + "],\"flag\":[" + fl + "]}";
    }

    private static String num(float v) {
        return Float.isFinite(v) ? String.format(Locale.ROOT, "%.5g", v) : "null";
    }

    private static String table(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("<table><thead><tr>");
        header.forEach(c -> b.append("<th>").append(esc(c)).append("</th>"));
        b.append("</tr></thead><tbody>\n");
        for (List<String> r : rows) {
            b.append("<tr>");
            r.forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static final String CSS = String.join("\n",
            "body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1000px;"
                    + "color:#1d2330;background:#fafbfc}",
            "h1{margin:0}h2{margin-top:28px;border-bottom:1px solid #dde;padding-bottom:4px}.sub{color:#667;margin-top:4px}",
            "table{border-collapse:collapse;font-variant-numeric:tabular-nums}td,th{padding:3px 10px;border-bottom:1px solid"
                    + " #e4e6eb;text-align:right;white-space:nowrap}.verdict{font-family:monospace}th{background:#eef1f5}td:first-child,th:first-child{text-align:left}",
            ".chart{background:#fff;border:1px solid #e1e4ea;border-radius:6px;margin:12px 0;padding:8px}",
            ".chart h3{margin:0 0 4px;font-size:14px}.chart .mae{color:#667;font-weight:normal}",
            ".legend span{margin-right:14px}.a{color:#3b6fb6}.f{color:#e8830c}.e{color:#c23b3b}.x{color:#8a2be2}"
                    + ".b{color:#f3c999}",
            "svg text{font-size:10px;fill:#667}", "");

    private static final String SCRIPT = String.join("\n",
            "(function(){",
            "var data=JSON.parse(document.getElementById('data').textContent);",
            "var NS='http://www.w3.org/2000/svg',W=940,H=200,E=60,P=40;",
            "function el(n,a,p){var e=document.createElementNS(NS,n);for(var k in a)e.setAttribute(k,a[k]);"
                    + "if(p)p.appendChild(e);return e;}",
            "function line(xs,ys,sx,sy,attrs,svg){var pts=[];for(var i=0;i<xs.length;i++){if(ys[i]===null)continue;"
                    + "pts.push(sx(xs[i]).toFixed(1)+','+sy(ys[i]).toFixed(1));}",
            "  attrs.points=pts.join(' ');attrs.fill='none';el('polyline',attrs,svg);return pts.length;}",
            "data.forEach(function(c){",
            "  var box=document.createElement('div');box.className='chart';",
            "  var err=c.actual.map(function(a,i){return c.forecast[i]===null?null:c.forecast[i]-a;});",
            "  var se=0,n=0;err.forEach(function(e){if(e!==null){se+=Math.abs(e);n++;}});",
            "  var mae=n?se/n:0,flagged=[],hits=0,injected=0;",
            "  c.flag.forEach(function(s,i){if(c.anomaly[i])injected++;if(s===1){"
                    + "flagged.push(i);if(c.anomaly[i])hits++;}});",
            "  var h=document.createElement('h3');h.textContent=c.key+' ';var m=document.createElement('span');"
                    + "m.className='mae';m.textContent=n?'MAE of one-step forecasts '+mae.toPrecision(3)+' over '+n"
                    + "+' points shown; '+flagged.length+' flagged ('+hits+' of '+injected+' injected anomaly points)'"
                    + ":'no forecasts';h.appendChild(m);box.appendChild(h);",
            "  var svg=el('svg',{viewBox:'0 0 '+W+' '+(H+E+20),width:'100%'},box);",
            "  var t0=Math.min.apply(null,c.t),t1=Math.max.apply(null,c.t);if(t1===t0)t1=t0+1;",
            "  var vals=c.actual.concat(c.forecast.filter(function(v){return v!==null;}));",
            "  var lo=Math.min.apply(null,vals),hi=Math.max.apply(null,vals);if(hi===lo)hi=lo+1;",
            "  var emax=0;err.forEach(function(e){if(e!==null)emax=Math.max(emax,Math.abs(e));});if(!emax)emax=1;",
            "  var sx=function(t){return P+(W-P-8)*(t-t0)/(t1-t0);};",
            "  var sy=function(v){return 8+(H-16)*(1-(v-lo)/(hi-lo));};",
            "  var ey=function(e){return H+10+E/2-(E/2-2)*e/emax;};",
            "  el('line',{x1:P,x2:W-8,y1:H+10+E/2,y2:H+10+E/2,stroke:'#ccd'},svg);",
            "  var lt=el('text',{x:2,y:14},svg);lt.textContent=hi.toPrecision(4);",
            "  var lb=el('text',{x:2,y:H-4},svg);lb.textContent=lo.toPrecision(4);",
            "  var le=el('text',{x:2,y:H+14},svg);le.textContent='error';",
            "  var up=[],dn=[];c.t.forEach(function(t,i){if(c.lo[i]!==null&&c.hi[i]!==null){"
                    + "up.push(sx(t).toFixed(1)+','+sy(Math.min(hi,c.hi[i])).toFixed(1));"
                    + "dn.unshift(sx(t).toFixed(1)+','+sy(Math.max(lo,c.lo[i])).toFixed(1));}});",
            "  if(up.length)el('polygon',{points:up.concat(dn).join(' '),fill:'#f3c999','fill-opacity':0.45,"
                    + "stroke:'none','class':'band'},svg);",
            "  var drawn=line(c.t,c.actual,sx,sy,{stroke:'#3b6fb6','stroke-width':1.2,'class':'actual'},svg);",
            "  drawn+=line(c.t,c.forecast,sx,sy,{stroke:'#e8830c','stroke-width':1.2,'class':'forecast'},svg);",
            "  var bars=[];err.forEach(function(e,i){if(e!==null)bars.push('M'+sx(c.t[i]).toFixed(1)+' '"
                    + "+ey(0).toFixed(1)+'V'+ey(e).toFixed(1));});",
            "  el('path',{d:bars.join(''),stroke:'#c23b3b','stroke-width':1,'class':'error'},svg);",
            "  c.anomaly.forEach(function(a,i){if(a)el('circle',{cx:sx(c.t[i]),cy:sy(c.actual[i]),r:3.5,"
                    + "fill:'#8a2be2','class':'anomaly'},svg);});",
            "  flagged.forEach(function(i){el('circle',{cx:sx(c.t[i]),cy:sy(c.actual[i]),r:6,fill:'none',"
                    + "stroke:'#c23b3b','stroke-width':1.5,'class':'flagged'},svg);});",
            "  var d0=el('text',{x:P,y:H+E+28},svg);d0.textContent=new Date(t0).toISOString().slice(0,16).replace('T',' ');",
            "  var d1=el('text',{x:W-8,y:H+E+28,'text-anchor':'end'},svg);d1.textContent=new Date(t1).toISOString()"
                    + ".slice(0,16).replace('T',' ');",
            "  document.getElementById('charts').appendChild(box);box.setAttribute('data-rendered',String(drawn));",
            "});",
            "document.body.setAttribute('data-charts',String(data.length));",
            "})();", "");
}
