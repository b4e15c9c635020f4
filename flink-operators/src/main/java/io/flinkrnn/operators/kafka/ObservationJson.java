package io.flinkrnn.operators.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.flinkrnn.operators.InputLimits;
import io.flinkrnn.schemas.Observation;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON form of an observation (see {@link ObservationFormat#JSON}) with a streaming parser, so a
 * hostile record costs no more than its bytes: nesting deeper than {@link #MAX_DEPTH}, strings and documents
 * longer than the record limit, and numbers longer than {@link #MAX_NUMBER_CHARS} stop the parser (Jackson's
 * read constraints), and {@code values} stops at the value limit. Every problem is an IOException; too many
 * values is a {@link TooManyValues}.
 */
public final class ObservationJson {
    /** An observation is an object holding one array and one flat object: 32 levels is plenty. */
    static final int MAX_DEPTH = 32;
    static final int MAX_NUMBER_CHARS = 64;

    /** More values than the limit; its own dead-letter reason. */
    public static final class TooManyValues extends RejectedRecord {
        private static final long serialVersionUID = 1L;

        TooManyValues(String message) {
            super(io.flinkrnn.schemas.DeadLetterReason.TOO_MANY_VALUES, message);
        }
    }

    private final JsonFactory factory;
    private final int maxValues;

    public ObservationJson(InputLimits limits) {
        factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxStringLength(limits.maxRecordBytes())
                .maxDocumentLength(limits.maxRecordBytes()).maxNumberLength(MAX_NUMBER_CHARS).build()).build();
        maxValues = limits.maxValues();
    }

    public Observation decode(byte[] bytes) throws IOException {
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            String key = null;
            Instant time = null;
            List<Float> values = null;
            Map<String, String> attributes = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "key":
                        key = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        if (key == null) {
                            throw new IOException("\"key\" is missing or not a string");
                        }
                        break;
                    case "eventTime":
                        time = eventTime(p, t);
                        break;
                    case "values":
                        values = values(p, t);
                        break;
                    case "attributes":
                        attributes(p, t, attributes);
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("trailing content after the JSON object");
            }
            if (key == null) {
                throw new IOException("\"key\" is missing or not a string");
            }
            if (time == null) {
                throw new IOException("\"eventTime\" is missing");
            }
            if (values == null) {
                throw new IOException("\"values\" is missing or not an array");
            }
            return Observation.newBuilder().setKey(key).setEventTime(time).setValues(values)
                    .setAttributes(attributes).build();
        }
    }

    private static Instant eventTime(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
                throw new IOException("\"eventTime\" " + p.getText() + " is out of range");
            }
            return Instant.ofEpochMilli(p.getLongValue());
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Instant.parse(p.getText());
            } catch (DateTimeParseException e) {
                throw new IOException("\"eventTime\" is not ISO-8601: " + abbreviate(p.getText()));
            }
        }
        throw new IOException("\"eventTime\" must be epoch millis or an ISO-8601 string");
    }

    private List<Float> values(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new IOException("\"values\" is missing or not an array");
        }
        List<Float> values = new ArrayList<>();
        for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
            if (x != JsonToken.VALUE_NUMBER_INT && x != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new IOException("\"values\" holds a non-number: " + abbreviate(p.getText()));
            }
            if (values.size() == maxValues) {
                throw new TooManyValues("\"values\" holds more than " + maxValues + " values");
            }
            values.add(p.getFloatValue());
        }
        return values;
    }

    private static void attributes(JsonParser p, JsonToken t, Map<String, String> into) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v.isScalarValue()) {
                into.put(name, p.getText());
            } else {
                p.skipChildren();
            }
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 40 ? String.valueOf(s) : s.substring(0, 40) + "...";
    }
}
