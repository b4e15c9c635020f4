package io.flinkrnn.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every record stays readable both ways against the schemas of each release (committed copies under
 * src/test/resources/released/VERSION/): records written by a released flink-rnn are read by this one, and
 * records this one writes are read by the released one. Renaming or retyping a field fails here; adding an
 * optional field with a default passes.
 */
class ReleasedSchemaCompatibilityTest {
    static final List<String> RELEASES = List.of("0.1.0");

    static Schema released(String version, String record) throws IOException {
        try (InputStream in = ReleasedSchemaCompatibilityTest.class.getResourceAsStream(
                "/released/" + version + "/" + record + ".avsc")) {
            if (in == null) {
                throw new IOException("missing released schema " + version + "/" + record + ".avsc");
            }
            return new Schema.Parser().parse(in);
        }
    }

    static Schema current(String record) {
        switch (record) {
            case "Observation":
                return Observation.getClassSchema();
            case "Forecast":
                return Forecast.getClassSchema();
            case "DeadLetter":
                return DeadLetter.getClassSchema();
            case "ModelArtifact":
                return ModelArtifact.getClassSchema();
            case "ModelUpdate":
                return ModelUpdate.getClassSchema();
            default:
                throw new IllegalArgumentException(record);
        }
    }

    static List<String> problems(Schema reader, Schema writer) {
        List<String> out = new ArrayList<>();
        SchemaCompatibility.SchemaPairCompatibility c = SchemaCompatibility.checkReaderWriterCompatibility(reader,
                writer);
        if (c.getType() != SchemaCompatibilityType.COMPATIBLE) {
            c.getResult().getIncompatibilities().forEach(i -> out.add(i.getType() + " at " + i.getLocation() + ": "
                    + i.getMessage()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Observation", "Forecast", "DeadLetter", "ModelArtifact"})
    void readableBothWaysAgainstEveryRelease(String record) throws IOException {
        for (String version : RELEASES) {
            Schema old = released(version, record);
            assertEquals(List.of(), problems(current(record), old), record + ": this version reading " + version);
            assertEquals(List.of(), problems(old, current(record)), record + ": " + version + " reading this version");
        }
    }

    /**
     * Reasons added after a release (appended, so the old symbols keep their positions) reach a released
     * reader as its enum default, OTHER, with the message intact: every one of them, so a reason appended
     * anywhere but the end fails here.
     */
    @Test
    void everyReasonNewerThanAReleaseReadsAsOtherThere() throws IOException {
        Schema old = released("0.1.0", "DeadLetter");
        List<String> oldSymbols = old.getField("reason").schema().getEnumSymbols();
        List<String> symbols = DeadLetterReason.getClassSchema().getEnumSymbols();
        assertEquals(oldSymbols, symbols.subList(0, oldSymbols.size()), "released symbols keep their positions");
        assertTrue(symbols.containsAll(List.of("UNKNOWN_SCHEMA_ID", "MISSING_FIELD")), symbols.toString());
        for (String newer : symbols.subList(oldSymbols.size(), symbols.size())) {
            DeadLetter d = DeadLetter.newBuilder().setReason(DeadLetterReason.valueOf(newer)).setMessage("why " + newer)
                    .setTime(java.time.Instant.ofEpochMilli(5)).build();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            org.apache.avro.io.BinaryEncoder enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
            new org.apache.avro.specific.SpecificDatumWriter<>(DeadLetter.class).write(d, enc);
            enc.flush();
            org.apache.avro.generic.GenericRecord read = new org.apache.avro.generic.GenericDatumReader
                    <org.apache.avro.generic.GenericRecord>(DeadLetter.getClassSchema(), old).read(null,
                    org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
            assertEquals("OTHER", read.get("reason").toString(), newer);
            assertEquals("why " + newer, read.get("message").toString(), newer);
        }
    }

    /**
     * ModelUpdate came after 0.1.0: publishers written against its first published form (frozen under
     * src/test/resources/frozen/) must keep working both ways, as the records of a release do.
     */
    @Test
    void modelUpdateStaysReadableBothWaysAgainstItsFirstPublishedSchema() throws IOException {
        Schema first;
        try (InputStream in = getClass().getResourceAsStream("/frozen/ModelUpdate.avsc")) {
            first = new Schema.Parser().parse(in);
        }
        assertEquals(List.of(), problems(ModelUpdate.getClassSchema(), first), "this version reading the first");
        assertEquals(List.of(), problems(first, ModelUpdate.getClassSchema()), "the first reading this version");
        Schema retyped = new Schema.Parser().parse(first.toString().replace(
                "{\"name\":\"version\",\"type\":\"long\"", "{\"name\":\"version\",\"type\":\"string\""));
        assertNotEquals(List.of(), problems(retyped, first), "the check catches a retyped version");
    }

    @Test
    void theCheckCatchesARenameAndARetypeAndAllowsAnOptionalField() throws IOException {
        Schema old = released("0.1.0", "Forecast");
        String json = old.toString();
        Schema renamed = new Schema.Parser().parse(json.replace("\"modelVersion\"", "\"modelRevision\""));
        assertNotEquals(List.of(), problems(renamed, old), "a renamed field without a default");
        Schema retyped = new Schema.Parser().parse(json.replace("{\"name\":\"horizon\",\"type\":\"int\"",
                "{\"name\":\"horizon\",\"type\":\"string\""));
        assertNotEquals(List.of(), problems(retyped, old), "a retyped field");
        Schema added = new Schema.Parser().parse(json.replace("\"fields\":[", "\"fields\":[{\"name\":\"extra\","
                + "\"type\":[\"null\",\"int\"],\"default\":null},"));
        assertEquals(List.of(), problems(added, old), "an optional field with a default");
        assertEquals(List.of(), problems(old, added));
    }
}
