package io.flinkrnn.operators.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkrnn.schemas.Observation;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON form of an observation (see {@link ObservationFormat#JSON}); every problem is an IOException. */
public final class ObservationJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ObservationJson() {
    }

    public static Observation decode(byte[] bytes) throws IOException {
        JsonNode n = MAPPER.readTree(bytes);
        if (n == null || !n.isObject()) {
            throw new IOException("not a JSON object");
        }
        JsonNode key = n.get("key");
        if (key == null || !key.isTextual()) {
            throw new IOException("\"key\" is missing or not a string");
        }
        JsonNode t = n.get("eventTime");
        Instant time;
        if (t == null) {
            throw new IOException("\"eventTime\" is missing");
        } else if (t.isIntegralNumber()) {
            time = Instant.ofEpochMilli(t.asLong());
        } else if (t.isTextual()) {
            try {
                time = Instant.parse(t.asText());
            } catch (DateTimeParseException e) {
                throw new IOException("\"eventTime\" is not ISO-8601: " + t.asText());
            }
        } else {
            throw new IOException("\"eventTime\" must be epoch millis or an ISO-8601 string");
        }
        JsonNode v = n.get("values");
        if (v == null || !v.isArray()) {
            throw new IOException("\"values\" is missing or not an array");
        }
        List<Float> values = new ArrayList<>(v.size());
        for (JsonNode x : v) {
            if (!x.isNumber()) {
                throw new IOException("\"values\" holds a non-number: " + x);
            }
            values.add(x.floatValue());
        }
        Map<String, String> attributes = new HashMap<>();
        JsonNode a = n.get("attributes");
        if (a != null && a.isObject()) {
            a.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        }
        return Observation.newBuilder().setKey(key.asText()).setEventTime(time).setValues(values)
                .setAttributes(attributes).build();
    }
}
