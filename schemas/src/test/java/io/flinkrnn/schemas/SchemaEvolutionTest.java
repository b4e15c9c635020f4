package io.flinkrnn.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule for changing the records: new fields are optional with a default. Checked with Avro's own
 * compatibility checker in both directions (new readers read old data, old readers read new data), and a
 * required field without default is shown to break old data, so the check can fail.
 */
class SchemaEvolutionTest {
    static Stream<Schema> schemas() {
        return Stream.of(Observation.getClassSchema(), Forecast.getClassSchema(), DeadLetter.getClassSchema());
    }

    static Schema withField(Schema base, Schema.Field extra) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(extra);
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    static SchemaCompatibilityType compat(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void optionalFieldWithDefaultIsCompatibleBothWays(Schema current) {
        Schema evolved = withField(current, new Schema.Field("addedLater",
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "a field a later version adds", JsonProperties.NULL_VALUE));
        assertEquals(SchemaCompatibilityType.COMPATIBLE, compat(evolved, current), "new reader, old data");
        assertEquals(SchemaCompatibilityType.COMPATIBLE, compat(current, evolved), "old reader, new data");
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void requiredFieldWithoutDefaultBreaksOldData(Schema current) {
        Schema broken = withField(current, new Schema.Field("required", Schema.create(Schema.Type.INT), null,
                (Object) null));
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE, compat(broken, current));
    }
}
