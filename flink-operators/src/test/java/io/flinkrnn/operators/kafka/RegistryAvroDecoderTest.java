package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.operators.kafka.registry.RegistryFailedException;
import io.flinkrnn.operators.kafka.registry.RegistryOptions;
import io.flinkrnn.operators.kafka.registry.RegistrySettings;
import io.flinkrnn.operators.kafka.registry.WireFormat;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.testkit.LoopbackSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryAvroDecoderTest {
    /** The producer: Observation's fields, then one inserted after the key. */
    static final String OBSERVATION_WITH_UNIT = "{\"type\":\"record\",\"name\":\"Observation\",\"namespace\":"
            + "\"com.acme\",\"fields\":[{\"name\":\"key\",\"type\":\"string\"},{\"name\":\"unit\",\"type\":\"string\"},"
            + "{\"name\":\"eventTime\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
            + "{\"name\":\"values\",\"type\":{\"type\":\"array\",\"items\":\"float\"}}]}";
    static final String READING_V1 = "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"com.acme\",\"fields\":["
            + "{\"name\":\"sensor_id\",\"type\":\"string\"},"
            + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
            + "{\"name\":\"site\",\"type\":{\"type\":\"record\",\"name\":\"Site\",\"fields\":[{\"name\":\"name\","
            + "\"type\":\"string\"},{\"name\":\"temperature\",\"type\":\"double\"}]}},"
            + "{\"name\":\"pressure\",\"type\":[\"null\",\"int\"],\"default\":null}]}";
    static final FieldMapping MAPPING = FieldMapping.of("sensor_id", "ts", "site.temperature", "pressure");

    LoopbackSchemaRegistry registry;

    @BeforeEach
    void start() throws IOException {
        registry = LoopbackSchemaRegistry.start();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    RegistryAvroDecoder decoder(FieldMapping m, int cache) {
        return new RegistryAvroDecoder(RegistrySettings.from(new Configuration().set(RegistryOptions.URL,
                registry.url()).set(RegistryOptions.CACHE_CAPACITY, cache)
                .set(RegistryOptions.RETRY_TIMEOUT, Duration.ofMillis(300))), m);
    }

    static byte[] framed(int id, Schema schema, GenericRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.header(id));
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(r, e);
        e.flush();
        return out.toByteArray();
    }

    static GenericRecord reading(Schema s, String key, long micros, double temperature, Integer pressure) {
        GenericRecord site = new GenericData.Record(s.getField("site").schema());
        site.put("name", "north");
        site.put("temperature", temperature);
        GenericRecord r = new GenericData.Record(s);
        r.put("sensor_id", key);
        r.put("ts", micros);
        r.put("site", site);
        r.put("pressure", pressure);
        return r;
    }

    @Test
    void anObservationProducerThatInsertedAFieldIsReadByResolution() throws IOException {
        Schema w = new Schema.Parser().parse(OBSERVATION_WITH_UNIT);
        int id = registry.register("obs-value", OBSERVATION_WITH_UNIT);
        GenericRecord r = new GenericData.Record(w);
        r.put("key", "k1");
        r.put("unit", "C");
        r.put("eventTime", 5000L);
        r.put("values", List.of(1.5f, 2.5f));
        Observation o = decoder(null, 10).decode(framed(id, w, r));
        assertEquals(Observation.newBuilder().setKey("k1").setEventTime(Instant.ofEpochMilli(5000))
                .setValues(List.of(1.5f, 2.5f)).setAttributes(Map.of()).build(), o);
    }

    @Test
    void mappedFieldsAreFoundByNameAndPathWhateverTheOrderAndTheRecordName() throws IOException {
        Schema v1 = new Schema.Parser().parse(READING_V1);
        String v2Text = "{\"type\":\"record\",\"name\":\"Reading2\",\"namespace\":\"org.other\",\"fields\":["
                + "{\"name\":\"unit\",\"type\":\"string\",\"default\":\"C\"},"
                + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                + "{\"name\":\"site\",\"type\":{\"type\":\"record\",\"name\":\"Site\",\"fields\":["
                + "{\"name\":\"temperature\",\"type\":\"double\"},{\"name\":\"name\",\"type\":\"string\"}]}},"
                + "{\"name\":\"pressure\",\"type\":[\"null\",\"int\"],\"default\":null},"
                + "{\"name\":\"sensor_id\",\"type\":\"string\"}]}";
        Schema v2 = new Schema.Parser().parse(v2Text);
        assertTrue(v2.getFields().get(0).name().equals("unit") && v2.getFields().get(4).name().equals("sensor_id"),
                v2.toString());
        int id1 = registry.register("r-value", READING_V1);
        int id2 = registry.register("r-value", v2Text);
        RegistryAvroDecoder d = decoder(MAPPING, 10);
        Observation expected = Observation.newBuilder().setKey("s7").setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setValues(List.of(21.5f, 1013f)).setAttributes(Map.of()).build();
        assertEquals(expected, d.decode(framed(id1, v1, reading(v1, "s7", 1_700_000_000_123_456L, 21.5, 1013))));
        GenericRecord r2 = reading(v2, "s7", 1_700_000_000_123_999L, 21.5, 1013);
        r2.put("unit", "K");
        assertEquals(expected, d.decode(framed(id2, v2, r2)));
        RejectedRecord nullValue = assertThrows(RejectedRecord.class,
                () -> d.decode(framed(id1, v1, reading(v1, "s7", 1, 1, null))));
        assertEquals(DeadLetterReason.MISSING_FIELD, nullValue.reason());
        assertEquals("field 'pressure' is null", nullValue.getMessage());
    }

    @Test
    void aSchemaLackingAMappedFieldAndAnUnknownIdGetReasonsOfTheirOwn() throws IOException {
        String noPressure = READING_V1.replace(",{\"name\":\"pressure\",\"type\":[\"null\",\"int\"],\"default\":null}",
                "");
        Schema s = new Schema.Parser().parse(noPressure);
        int id = registry.register("r-value", noPressure);
        GenericRecord r = reading(new Schema.Parser().parse(READING_V1), "s", 1, 1, 1);
        GenericRecord cut = new GenericData.Record(s);
        cut.put("sensor_id", "s");
        cut.put("ts", 1L);
        cut.put("site", r.get("site"));
        RegistryAvroDecoder d = decoder(MAPPING, 10);
        RejectedRecord e = assertThrows(RejectedRecord.class, () -> d.decode(framed(id, s, cut)));
        assertEquals(DeadLetterReason.MISSING_FIELD, e.reason());
        assertTrue(e.getMessage().contains("has no field 'pressure'"), e.getMessage());
        e = assertThrows(RejectedRecord.class, () -> d.decode(framed(id + 41, s, cut)));
        assertEquals(DeadLetterReason.UNKNOWN_SCHEMA_ID, e.reason());
        String textTemperature = READING_V1.replace("{\"name\":\"temperature\",\"type\":\"double\"}",
                "{\"name\":\"temperature\",\"type\":\"string\"}");
        int id3 = registry.register("r-value", textTemperature);
        e = assertThrows(RejectedRecord.class, () -> d.decode(framed(id3, s, cut)));
        assertEquals(DeadLetterReason.MISSING_FIELD, e.reason());
        assertTrue(e.getMessage().contains("'site.temperature' as string, not a number"), e.getMessage());
        IOException notFramed = assertThrows(IOException.class, () -> d.decode(new byte[] {1, 2, 3, 4, 5, 6}));
        assertTrue(!(notFramed instanceof RejectedRecord) && notFramed.getMessage().contains("not a registry record"));
    }

    @Test
    void eachSchemaIsFetchedOnceWhileItStaysInTheBoundedCache() throws IOException {
        Schema v1 = new Schema.Parser().parse(READING_V1);
        int[] ids = new int[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = registry.register("r" + i, READING_V1.replace("Reading", "Reading" + i));
        }
        RegistryAvroDecoder d = decoder(MAPPING, 2);
        int before = registry.requests();
        for (int round = 0; round < 5; round++) {
            d.decode(framed(ids[0], v1, reading(v1, "a", 1000, 1, 1)));
            d.decode(framed(ids[1], v1, reading(v1, "a", 1000, 1, 1)));
        }
        assertEquals(2, registry.requests() - before, "two schemas, fetched once each");
        d.decode(framed(ids[2], v1, reading(v1, "a", 1000, 1, 1)));
        d.decode(framed(ids[0], v1, reading(v1, "a", 1000, 1, 1)));
        assertEquals(4, registry.requests() - before, "a third schema pushed the least recently used out");
    }

    @Test
    void anUnreachableRegistryFailsInsteadOfRejectingTheRecord() throws IOException {
        Schema v1 = new Schema.Parser().parse(READING_V1);
        int id = registry.register("r", READING_V1);
        registry.outage(true);
        RegistryAvroDecoder d = decoder(MAPPING, 2);
        assertThrows(RegistryFailedException.class, () -> d.decode(framed(id, v1, reading(v1, "a", 1, 1, 1))));
        registry.outage(false);
        assertEquals("a", d.decode(framed(id, v1, reading(v1, "a", 1, 1, 1))).getKey());
    }

    @Test
    void aSchemaThatIsNotAvroOrNotParsableMakesItsRecordsUndecodable() throws Exception {
        int id = registry.register("r", "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"nosuch\"}]}");
        IOException e = assertThrows(IOException.class, () -> decoder(MAPPING, 2).decode(new byte[] {0, 0, 0, 0,
            (byte) id, 1}));
        assertTrue(!(e instanceof RejectedRecord) && e.getMessage().contains("not a usable Avro schema"),
                e.getMessage());
        String deep = "\"int\"";
        for (int i = 0; i < 3000; i++) {
            deep = "{\"type\":\"array\",\"items\":" + deep + "}";
        }
        int deepId = registry.register("deep", deep);
        e = assertThrows(IOException.class, () -> decoder(MAPPING, 2).decode(new byte[] {0, 0, 0, 0, (byte) deepId,
            1}));
        assertTrue(e.getMessage().startsWith("schema id " + deepId), e.getMessage());
    }
}
