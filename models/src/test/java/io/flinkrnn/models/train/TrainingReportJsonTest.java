package io.flinkrnn.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkrnn.models.json.ReportJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MODEL.report.json: awkward strings survive Jackson's round trip; the layout and the nulls stay as they were. */
class TrainingReportJsonTest {
    static final String AWKWARD = "say \"hi\" \\ C:\\data\nnew line\ttab \u0001 Zürich 東京 😀 </script>";

    @Test
    void awkwardStringsRoundTripThroughJacksonsParser() throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("Seattle, WA", AWKWARD);
        config.put(AWKWARD, "plain");
        TrainingReport r = new TrainingReport(config, Map.of("file", "a \"b\".csv"));
        JsonNode json = ReportJson.mapper().readTree(r.toJson());
        Map<String, String> back = new LinkedHashMap<>();
        json.path("config").fields().forEachRemaining(e -> back.put(e.getKey(), e.getValue().asText()));
        assertEquals(config, back);
        assertEquals(new ArrayList<>(config.keySet()), new ArrayList<>(back.keySet()), "order kept");
        assertEquals("a \"b\".csv", json.path("data").path("file").asText());
    }

    @Test
    void namesNestingAndNullsStayAsTheyWere() throws Exception {
        TrainingReport r = new TrainingReport(Map.of("cell", "lstm"), Map.of());
        r.parameters = 42;
        r.trainSeconds = 1.5;
        r.samplesPerSecond = Double.NaN;
        r.bestEpoch = 1;
        r.epochs.add(new TrainingReport.Epoch(1, 0.25, Double.NaN, Double.POSITIVE_INFINITY, 0.5));
        ForecastErrors none = new ForecastErrors(0, 0, 0);
        r.validation = new TrainingReport.Scores(new ForecastErrors(2, 1, 4), none, none, none);
        String text = r.toJson();
        JsonNode json = ReportJson.mapper().readTree(text);
        assertEquals(List.of("config", "data", "parameters", "trainSeconds", "samplesPerSecond", "bestEpoch",
                "stoppedEarly", "validation", "test", "epochs"), names(json));
        assertTrue(json.path("samplesPerSecond").isNull(), "NaN is written as null, as before");
        assertTrue(json.path("test").isNull(), "no test split: null");
        assertEquals(List.of("model", "lastValue", "seasonalNaive", "linear"), names(json.path("validation")));
        assertEquals(List.of("mse", "mae", "terms"), names(json.path("validation").path("model")));
        assertEquals(0.5, json.path("validation").path("model").path("mse").asDouble());
        assertTrue(json.path("validation").path("lastValue").path("mse").isNull());
        JsonNode epoch = json.path("epochs").path(0);
        assertEquals(List.of("epoch", "trainMse", "validationMse", "validationMae", "seconds"), names(epoch));
        assertTrue(epoch.path("validationMse").isNull() && epoch.path("validationMae").isNull());
        assertTrue(text.contains("\"trainSeconds\": 1.5"), "docs/benchmarks greps \"name\": value: " + text);
        assertTrue(text.endsWith("}\n"));
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
