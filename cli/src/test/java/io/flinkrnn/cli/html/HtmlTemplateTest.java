package io.flinkrnn.cli.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkrnn.models.json.ReportJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlTemplateTest {
    static final String AWKWARD = "Seattle, WA \"north\" \\ C:\\x\nZürich 東京 </script><b>{{rows}}</b> & 'q'";

    private static HtmlTemplate page() {
        return HtmlTemplate.resource(HtmlTemplateTest.class, "test-page.html");
    }

    @Test
    void textIsEscapedAndNeverSearchedForSlots() {
        String html = page().text("title", AWKWARD)
                .markup("rows", HtmlTemplate.table(List.of("key"), List.of(List.of("<i>")))).json("data", 1).render();
        assertTrue(html.startsWith("<p>Seattle, WA &quot;north&quot; \\ C:\\x\nZürich 東京 &lt;/script&gt;&lt;b&gt;"
                + "{{rows}}&lt;/b&gt; &amp; &#39;q&#39;</p>"), html);
        assertTrue(html.contains("<td>&lt;i&gt;</td>"), html);
    }

    @Test
    void jsonCannotCloseItsScriptAndRoundTrips() throws Exception {
        Map<String, Object> data = Map.of("key", AWKWARD, "nan", Double.NaN, "values", List.of(1.5, 2.0));
        String html = page().text("title", "t").markup("rows", "").json("data", data).render();
        String json = html.substring(html.indexOf("json\">") + 6, html.lastIndexOf("</script>"));
        assertFalse(json.contains("<"), json);
        JsonNode tree = ReportJson.mapper().readTree(json);
        assertEquals(AWKWARD, tree.path("key").asText());
        assertTrue(tree.path("nan").isNull(), "NaN as null, as the page's script expects");
        assertEquals(2.0, tree.path("values").get(1).asDouble());
    }

    @Test
    void everySlotIsFilledAndOnlyTheSlotsThePageHas() {
        HtmlTemplate t = page().text("title", "t");
        assertTrue(assertThrows(IllegalStateException.class, t::render).getMessage()
                .contains("slot rows not filled"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.text("nope", "x")).getMessage()
                .contains("no slot nope"));
        assertTrue(assertThrows(IllegalStateException.class,
                () -> HtmlTemplate.resource(HtmlTemplateTest.class, "missing.html")).getMessage()
                .contains("no resource missing.html"));
    }
}
