package io.flinkrnn.operators.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.flinkrnn.operators.InputLimits;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Observation;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON records of a user's own shape through a {@link FieldMapping}: one streaming pass that descends
 * only into the objects on a mapped path and skips everything else, under the same read constraints as
 * {@link ObservationJson} (depth, string, document and number lengths), so a hostile record costs no more than
 * its bytes. A mapped field that is absent, null or of the wrong JSON type is a {@code MISSING_FIELD}
 * rejection naming it; malformed JSON or an unreadable time is an IOException (UNDECODABLE).
 */
final class MappedJson {
    /** One level of the mapped paths: the fields wanted here, and the slot a leaf fills. */
    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        int slot = -1;
    }

    private final FieldMapping mapping;
    private final JsonFactory factory;
    private final Node root = new Node();
    private final int slots;

    MappedJson(FieldMapping mapping, InputLimits limits) {
        this.mapping = mapping;
        factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(ObservationJson.MAX_DEPTH).maxStringLength(limits.maxRecordBytes())
                .maxDocumentLength(limits.maxRecordBytes()).maxNumberLength(ObservationJson.MAX_NUMBER_CHARS).build())
                .build();
        List<String[]> paths = mapping.paths();
        slots = paths.size();
        for (int s = 0; s < slots; s++) {
            Node n = root;
            for (String segment : paths.get(s)) {
                n = n.children.computeIfAbsent(segment, k -> new Node());
            }
            n.slot = s;
        }
    }

    Observation decode(byte[] bytes) throws IOException {
        String key = null;
        Instant time = null;
        float[] values = new float[slots - 2];
        boolean[] found = new boolean[slots];
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Object[] scalars = new Object[slots];
            walk(p, root, scalars, found);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the JSON object");
            }
            for (int s = 0; s < slots; s++) {
                if (!found[s]) {
                    throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, "the record has no field '"
                            + mapping.field(s) + "'");
                }
            }
            key = (String) scalars[0];
            time = (Instant) scalars[1];
            for (int s = 2; s < slots; s++) {
                values[s - 2] = (Float) scalars[s];
            }
        }
        List<Float> v = new ArrayList<>(values.length);
        for (float x : values) {
            v.add(x);
        }
        return Observation.newBuilder().setKey(key).setEventTime(time).setValues(v).setAttributes(new HashMap<>())
                .build();
    }

    /** Reads the object the parser is at (after its START_OBJECT) up to its END_OBJECT. */
    private void walk(JsonParser p, Node node, Object[] scalars, boolean[] found) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            Node child = node.children.get(p.currentName());
            JsonToken t = p.nextToken();
            if (child == null) {
                p.skipChildren();
            } else if (child.slot >= 0) {
                scalars[child.slot] = scalar(p, t, child.slot);
                found[child.slot] = true;
                p.skipChildren();
            } else if (t == JsonToken.START_OBJECT) {
                walk(p, child, scalars, found);
            } else {
                p.skipChildren();
            }
        }
    }

    private Object scalar(JsonParser p, JsonToken t, int slot) throws IOException {
        String field = mapping.field(slot);
        if (t == JsonToken.VALUE_NULL) {
            throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, "field '" + field + "' is null");
        }
        if (slot == 0) {
            if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
                return p.getText();
            }
            throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, "key field '" + field + "' is " + t
                    + ", not a string or an integer");
        }
        if (slot == 1) {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
                    throw new IOException("time field '" + field + "' " + p.getText() + " is out of range");
                }
                return Instant.ofEpochMilli(p.getLongValue());
            }
            if (t == JsonToken.VALUE_STRING) {
                Instant i = FieldMapping.isoTime(p.getText());
                if (i == null) {
                    throw new IOException("time field '" + field + "' is not ISO-8601: " + abbreviate(p.getText()));
                }
                return i;
            }
            throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, "time field '" + field + "' is " + t
                    + ", not epoch millis or an ISO-8601 string");
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getFloatValue();
        }
        throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, "value field '" + field + "' is " + t
                + ", not a number");
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 40 ? String.valueOf(s) : s.substring(0, 40) + "...";
    }
}
