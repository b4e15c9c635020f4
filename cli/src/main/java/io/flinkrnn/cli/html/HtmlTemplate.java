package io.flinkrnn.cli.html;

import io.flinkrnn.models.json.ReportJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page kept as a resource file with {@code {{name}}} slots, filled in one pass (a value is never searched for
 * slots itself). Text is HTML-escaped; JSON comes from Jackson with every {@code <} written {@code \u003c}, so
 * nothing in the data can close the {@code <script>} it sits in; markup is only what this class or the caller
 * built from escaped values. Every slot must be filled, and only slots the page has.
 */
public final class HtmlTemplate {
    private static final Pattern SLOT = Pattern.compile("\\{\\{([a-zA-Z][a-zA-Z0-9-]*)}}");
    private final String name;
    private final String page;
    private final Map<String, String> values = new LinkedHashMap<>();

    private HtmlTemplate(String name, String page) {
        this.name = name;
        this.page = page;
    }

    /** The resource {@code name} beside {@code owner}'s class file. */
    public static HtmlTemplate resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name + " beside " + owner.getName());
            }
            return new HtmlTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
    }

    /** Plain text, escaped. */
    public HtmlTemplate text(String slot, String value) {
        return put(slot, escape(value));
    }

    /** Markup built from escaped values ({@link #table}, {@link #escape}). */
    public HtmlTemplate markup(String slot, String html) {
        return put(slot, html);
    }

    /** A value as JSON (Jackson, non-finite numbers as null) for a {@code <script type="application/json">}. */
    public HtmlTemplate json(String slot, Object value) {
        // '<' occurs in JSON only inside strings, where \u003c is the same character
        return put(slot, ReportJson.compact(value).replace("<", "\\u003c"));
    }

    private HtmlTemplate put(String slot, String value) {
        if (!page.contains("{{" + slot + "}}")) {
            throw new IllegalArgumentException(name + " has no slot " + slot);
        }
        values.put(slot, value);
        return this;
    }

    public String render() {
        Matcher m = SLOT.matcher(page);
        StringBuilder b = new StringBuilder(page.length() + 1024);
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException(name + ": slot " + m.group(1) + " not filled");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        return m.appendTail(b).toString();
    }

    /** {@code & < > " '} as entities: safe in text and in quoted attribute values. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A table of escaped cells. */
    public static String table(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("<table><thead><tr>");
        header.forEach(c -> b.append("<th>").append(escape(c)).append("</th>"));
        b.append("</tr></thead><tbody>\n");
        for (List<String> r : rows) {
            b.append("<tr>");
            r.forEach(c -> b.append("<td>").append(escape(c)).append("</td>"));
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }
}
