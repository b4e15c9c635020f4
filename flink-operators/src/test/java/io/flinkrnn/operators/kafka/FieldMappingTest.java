package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class FieldMappingTest {

    @Test
    void theMappingComesFromThreeSettingsOrNone() {
        assertEquals(Optional.empty(), FieldMapping.from(new Configuration()));
        Configuration c = new Configuration();
        c.setString("input.key-field", "sensor_id");
        c.setString("input.time-field", "ts");
        c.setString("input.value-fields", "temperature, reading.pressure");
        assertEquals(FieldMapping.of("sensor_id", "ts", "temperature", "reading.pressure"),
                FieldMapping.from(c).orElseThrow());
        c.setString("input.value-fields", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FieldMapping.from(c));
        assertEquals("input.key-field, input.time-field and input.value-fields are set together or not at all; got key"
                + " 'sensor_id', time 'ts', values []", e.getMessage());
    }

    @Test
    void badPathsAndFieldsMappedTwiceAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FieldMapping("a..b", "", List.of()));
        assertEquals("input.key-field 'a..b' is not a dotted path like reading.temperature; input.time-field is empty;"
                + " input.value-fields names no field", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FieldMapping.of("k", "t", "v", "k"));
        assertEquals("field 'k' is mapped twice", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FieldMapping.of("k", "t", "r", "r.x"));
        assertEquals("field 'r' cannot be both a value and the record holding 'r.x'", e.getMessage());
    }
}
