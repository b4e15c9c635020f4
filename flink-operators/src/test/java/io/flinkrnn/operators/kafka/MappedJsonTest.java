package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.operators.InputLimits;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Observation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MappedJsonTest {
    static final MappedJson JSON = new MappedJson(FieldMapping.of("device.id", "ts", "readings.temperature",
            "pressure"), InputLimits.defaults());

    static Observation decode(String json) throws IOException {
        return JSON.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nestedFieldsAreFoundByPathAndEverythingElseIsSkipped() throws IOException {
        Observation o = decode("{\"extra\":{\"deep\":[1,{\"x\":2}]},\"pressure\":1013,\"ts\":1700000000123,"
                + "\"readings\":{\"humidity\":40,\"temperature\":21.5},\"device\":{\"id\":\"s7\",\"site\":\"n\"}}");
        assertEquals("s7", o.getKey());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), o.getEventTime());
        assertEquals(List.of(21.5f, 1013f), o.getValues());
        assertEquals(42f, decode("{\"device\":{\"id\":12},\"ts\":1,\"readings\":{\"temperature\":42},\"pressure\":0}")
                .getValues().get(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2023-11-14T22:13:20Z|1700000000000",
        "2023-11-14T22:13:20.250Z|1700000000250",
        "2023-11-14T23:13:20+01:00|1700000000000",
        "2023-11-14T22:13:20|1700000000000"})
    void isoTimesWithZoneOffsetOrNoneReadAsUtc(String text, long millis) throws IOException {
        assertEquals(Instant.ofEpochMilli(millis), decode("{\"device\":{\"id\":\"a\"},\"ts\":\"" + text
                + "\",\"readings\":{\"temperature\":1},\"pressure\":2}").getEventTime());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"device\":{\"id\":\"a\"},\"ts\":1,\"readings\":{\"temperature\":1}}|the record has no field 'pressure'",
        "{\"device\":\"a\",\"ts\":1,\"readings\":{\"temperature\":1},\"pressure\":2}|the record has no field 'device.id'",
        "{\"device\":{\"id\":null},\"ts\":1,\"readings\":{\"temperature\":1},\"pressure\":2}|field 'device.id' is null",
        "{\"device\":{\"id\":\"a\"},\"ts\":1,\"readings\":{\"temperature\":\"hot\"},\"pressure\":2}"
            + "|value field 'readings.temperature' is VALUE_STRING, not a number",
        "{\"device\":{\"id\":\"a\"},\"ts\":true,\"readings\":{\"temperature\":1},\"pressure\":2}"
            + "|time field 'ts' is VALUE_TRUE, not epoch millis or an ISO-8601 string"})
    void aMissingNullOrMistypedFieldIsMissingFieldNamingIt(String json, String message) {
        RejectedRecord e = assertThrows(RejectedRecord.class, () -> decode(json));
        assertEquals(DeadLetterReason.MISSING_FIELD, e.reason());
        assertEquals(message, e.getMessage());
    }

    @Test
    void malformedJsonOrAnUnreadableTimeIsUndecodable() {
        for (String bad : List.of("[1,2]", "{\"device\":{\"id\":\"a\"}", "{\"ts\":\"yesterday\",\"device\":{\"id\":\"a\"},"
                + "\"readings\":{\"temperature\":1},\"pressure\":2}", "{} {}")) {
            IOException e = assertThrows(IOException.class, () -> decode(bad), bad);
            assertTrue(!(e instanceof RejectedRecord), bad + ": " + e);
        }
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            deep.append("{\"a\":");
        }
        assertThrows(IOException.class, () -> decode(deep.toString()), "nesting past the depth limit");
    }
}
