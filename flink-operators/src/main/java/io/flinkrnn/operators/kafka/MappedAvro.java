package io.flinkrnn.operators.kafka;

import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Observation;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * How records written with one writer schema are read through a {@link FieldMapping}: the reader schema is
 * the writer's records cut down to the mapped paths (same names, so Avro's schema resolution matches them
 * and skips every other field, wherever the producer put it), checked once per schema: a mapped field the
 * schema lacks, or holds with a type that is not a key, a time or a number, is a {@code MISSING_FIELD}
 * rejection before any record is read. Generic records only: no class is loaded for a producer's schema.
 */
final class MappedAvro {
    private enum TimeUnit { MILLIS, MICROS, NANOS, ISO }

    private final FieldMapping mapping;
    private final GenericDatumReader<GenericRecord> reader;
    private final int[][] positions;
    private final TimeUnit timeUnit;
    private BinaryDecoder decoder;
    private GenericRecord reuse;

    private MappedAvro(FieldMapping mapping, Schema writer, Schema projected, int[][] positions, TimeUnit timeUnit) {
        this.mapping = mapping;
        this.reader = new GenericDatumReader<>(writer, projected, GenericData.get());
        this.positions = positions;
        this.timeUnit = timeUnit;
    }

    /** The plan for {@code writer}; a MISSING_FIELD rejection naming the first field it lacks. */
    static MappedAvro plan(Schema writer, FieldMapping mapping, String schemaName) throws RejectedRecord {
        if (writer.getType() != Schema.Type.RECORD) {
            throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, schemaName + " is a " + writer.getType()
                    + ", not a record with the mapped fields");
        }
        Projection root = new Projection(writer);
        List<String[]> paths = mapping.paths();
        int[][] positions = new int[paths.size()][];
        TimeUnit unit = null;
        for (int s = 0; s < paths.size(); s++) {
            String[] path = paths.get(s);
            positions[s] = new int[path.length];
            Projection at = root;
            for (int d = 0; d < path.length; d++) {
                Schema.Field f = at.writer.getField(path[d]);
                if (f == null) {
                    throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, schemaName + " has no field '"
                            + String.join(".", java.util.Arrays.copyOf(path, d + 1)) + "' (mapped as "
                            + role(s) + " '" + mapping.field(s) + "')");
                }
                Schema type = nonNull(f.schema());
                if (d < path.length - 1) {
                    if (type == null || type.getType() != Schema.Type.RECORD) {
                        throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, schemaName + " has '" + f.name()
                                + "' as " + f.schema().getType() + ", not a record holding '" + mapping.field(s)
                                + "'");
                    }
                    positions[s][d] = at.child(f, type);
                    at = at.children.get(f.name());
                } else {
                    String problem = usable(s, type);
                    if (problem != null) {
                        throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, schemaName + " has " + role(s)
                                + " field '" + mapping.field(s) + "' as " + describe(f.schema()) + ", " + problem);
                    }
                    if (s == 1) {
                        unit = unit(type);
                    }
                    positions[s][d] = at.leaf(f);
                }
            }
        }
        return new MappedAvro(mapping, writer, root.build(), positions, unit);
    }

    Observation decode(byte[] value, int offset) throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(value, offset, value.length - offset, decoder);
        GenericRecord r = reader.read(reuse, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("trailing bytes after the Avro record: not written with the schema it names");
        }
        reuse = r;
        Object key = leaf(r, 0);
        Object time = leaf(r, 1);
        List<Float> values = new ArrayList<>(positions.length - 2);
        for (int s = 2; s < positions.length; s++) {
            values.add(((Number) leaf(r, s)).floatValue());
        }
        return Observation.newBuilder().setKey(key.toString()).setEventTime(time(time)).setValues(values)
                .setAttributes(new HashMap<>()).build();
    }

    private Object leaf(GenericRecord r, int slot) throws RejectedRecord {
        int[] path = positions[slot];
        Object at = r;
        for (int p : path) {
            if (at == null) {
                break;
            }
            at = ((GenericRecord) at).get(p);
        }
        if (at == null) {
            throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, "field '" + mapping.field(slot) + "' is null");
        }
        return at;
    }

    private Instant time(Object t) throws IOException {
        switch (timeUnit) {
            case MILLIS:
                return Instant.ofEpochMilli((Long) t);
            case MICROS:
                return Instant.ofEpochMilli(Math.floorDiv((Long) t, 1000L));
            case NANOS:
                return Instant.ofEpochMilli(Math.floorDiv((Long) t, 1_000_000L));
            default:
                Instant i = FieldMapping.isoTime(t.toString());
                if (i == null) {
                    String s = t.toString();
                    throw new IOException("time field '" + mapping.timeField() + "' is not ISO-8601: "
                            + (s.length() > 40 ? s.substring(0, 40) + "..." : s));
                }
                return i;
        }
    }

    private static String role(int slot) {
        return slot == 0 ? "key" : slot == 1 ? "time" : "value";
    }

    /** The type itself, or the one non-null branch of a union with null; null for any other union. */
    private static Schema nonNull(Schema s) {
        if (s.getType() != Schema.Type.UNION) {
            return s;
        }
        Schema only = null;
        for (Schema b : s.getTypes()) {
            if (b.getType() != Schema.Type.NULL) {
                if (only != null) {
                    return null;
                }
                only = b;
            }
        }
        return only;
    }

    private static String usable(int slot, Schema type) {
        if (type == null) {
            return "a union of several types";
        }
        Schema.Type t = type.getType();
        if (slot == 0) {
            return t == Schema.Type.STRING || t == Schema.Type.INT || t == Schema.Type.LONG ? null
                    : "not a string or an integer";
        }
        if (slot == 1) {
            if (t == Schema.Type.STRING) {
                return null;
            }
            return t == Schema.Type.LONG && unit(type) != null ? null
                    : "not epoch millis (long), an Avro timestamp or an ISO-8601 string";
        }
        return t == Schema.Type.INT || t == Schema.Type.LONG || t == Schema.Type.FLOAT || t == Schema.Type.DOUBLE
                ? null : "not a number";
    }

    private static TimeUnit unit(Schema type) {
        if (type.getType() == Schema.Type.STRING) {
            return TimeUnit.ISO;
        }
        LogicalType l = type.getLogicalType();
        String name = l == null ? "" : l.getName();
        switch (name) {
            case "":
            case "timestamp-millis":
            case "local-timestamp-millis":
                return TimeUnit.MILLIS;
            case "timestamp-micros":
            case "local-timestamp-micros":
                return TimeUnit.MICROS;
            case "timestamp-nanos":
            case "local-timestamp-nanos":
                return TimeUnit.NANOS;
            default:
                return null;
        }
    }

    private static String describe(Schema s) {
        return s.getLogicalType() != null ? s.getType() + " (" + s.getLogicalType().getName() + ")"
                : s.getType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    /** The reader schema under construction: one writer record cut to the fields on mapped paths. */
    private static final class Projection {
        final Schema writer;
        final List<Schema.Field> fields = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final java.util.Map<String, Projection> children = new HashMap<>();

        Projection(Schema writer) {
            this.writer = writer;
        }

        int leaf(Schema.Field f) {
            int i = names.indexOf(f.name());
            if (i < 0) {
                names.add(f.name());
                fields.add(null);
                i = names.size() - 1;
            }
            return i;
        }

        int child(Schema.Field f, Schema record) {
            children.computeIfAbsent(f.name(), k -> new Projection(record));
            return leaf(f);
        }

        Schema build() {
            List<Schema.Field> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Schema.Field w = writer.getField(names.get(i));
                Projection c = children.get(w.name());
                Schema type = w.schema();
                if (c != null) {
                    Schema nested = c.build();
                    if (type.getType() == Schema.Type.UNION) {
                        List<Schema> branches = new ArrayList<>();
                        for (Schema b : type.getTypes()) {
                            branches.add(b.getType() == Schema.Type.NULL ? b : nested);
                        }
                        type = Schema.createUnion(branches);
                    } else {
                        type = nested;
                    }
                }
                out.add(new Schema.Field(w.name(), type, null, (Object) null));
            }
            return Schema.createRecord(writer.getName(), null, writer.getNamespace(), false, out);
        }
    }
}
