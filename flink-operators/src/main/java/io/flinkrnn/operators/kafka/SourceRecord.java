package io.flinkrnn.operators.kafka;

import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.Observation;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * What the Kafka source emits for each Kafka record: the decoded observation, or, when the bytes could not
 * be decoded, the dead letter that says why. Deserialization never fails the job.
 */
public final class SourceRecord {
    /** Set when the record decoded. */
    public Observation observation;
    /** Set when it did not. */
    public DeadLetter deadLetter;

    public SourceRecord() {
    }

    public static SourceRecord of(Observation o) {
        SourceRecord r = new SourceRecord();
        r.observation = o;
        return r;
    }

    public static SourceRecord failed(DeadLetter d) {
        SourceRecord r = new SourceRecord();
        r.deadLetter = d;
        return r;
    }

    /** A POJO type with Avro-serialized fields: no Kryo anywhere. */
    public static TypeInformation<SourceRecord> typeInfo() {
        return Types.POJO(SourceRecord.class, Map.of("observation", new AvroTypeInfo<>(Observation.class),
                "deadLetter", new AvroTypeInfo<>(DeadLetter.class)));
    }
}
