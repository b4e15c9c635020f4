package io.flinkrnn.operators.kafka;

import io.flinkrnn.schemas.Forecast;
import java.io.IOException;
import java.util.List;
import org.apache.avro.io.Encoder;

/**
 * A {@link Forecast} in Avro binary, field by field in its schema's order: the bytes Avro's {@code
 * SpecificDatumWriter} writes, at a fraction of the cost. Why by hand: Avro generates such a coder only for records
 * without logical types, and a Forecast's event time is a timestamp-millis, so the generic writer resolves every
 * optional field's union by name and converts the time through a boxed Long on every record: a sixth of the job's
 * step task in the end-to-end benchmark. {@code ForecastEncoderTest} pins the bytes to Avro's with every optional
 * field set and unset, and fails when the schema gains a field that is not in {@link #FIELDS}.
 */
final class ForecastEncoder {
    /** The schema's fields this class writes, in order. */
    static final List<String> FIELDS = List.of("key", "eventTime", "modelId", "modelVersion", "horizon", "values",
            "backend", "anomalyScore", "lower", "upper", "rawScore", "flagged", "anomalous", "anomalyCause",
            "signalScores");

    private ForecastEncoder() {
    }

    static void write(Forecast f, Encoder out) throws IOException {
        out.writeString(required(f.getKey(), "key"));
        out.writeLong(required(f.getEventTime(), "eventTime").toEpochMilli());
        out.writeString(required(f.getModelId(), "modelId"));
        out.writeString(required(f.getModelVersion(), "modelVersion"));
        out.writeInt(f.getHorizon());
        floats(out, required(f.getValues(), "values"));
        out.writeString(required(f.getBackend(), "backend"));
        optional(f.getAnomalyScore(), out, Encoder::writeFloat);
        optional(f.getLower(), out, ForecastEncoder::floats);
        optional(f.getUpper(), out, ForecastEncoder::floats);
        optional(f.getRawScore(), out, Encoder::writeFloat);
        optional(f.getFlagged(), out, Encoder::writeBoolean);
        optional(f.getAnomalous(), out, Encoder::writeBoolean);
        optional(f.getAnomalyCause(), out, Encoder::writeString);
        optional(f.getSignalScores(), out, ForecastEncoder::floats);
    }

    /** How one value of a field is written. */
    private interface ValueWriter<V> {
        void write(Encoder out, V value) throws IOException;
    }

    /** A field the schema does not allow to be null, or Avro's writer's error. */
    private static <V> V required(V value, String field) {
        if (value == null) {
            throw new NullPointerException("null value for (non-nullable) field Forecast." + field);
        }
        return value;
    }

    /** An array as Avro's writer blocks it: one block of every item, then the end. */
    private static void floats(Encoder out, List<Float> values) throws IOException {
        out.writeArrayStart();
        int n = values.size();
        out.setItemCount(n);
        for (int i = 0; i < n; i++) {
            out.startItem();
            out.writeFloat(values.get(i));
        }
        out.writeArrayEnd();
    }

    /** A union of null (branch 0) and the value (branch 1), as each optional field is. */
    private static <V> void optional(V value, Encoder out, ValueWriter<V> writer) throws IOException {
        if (value == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            writer.write(out, value);
        }
    }
}
