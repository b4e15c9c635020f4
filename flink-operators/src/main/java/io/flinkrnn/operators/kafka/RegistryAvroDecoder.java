package io.flinkrnn.operators.kafka;

import io.flinkrnn.operators.kafka.registry.RegistrySettings;
import io.flinkrnn.operators.kafka.registry.SchemaNotFoundException;
import io.flinkrnn.operators.kafka.registry.SchemaRegistryClient;
import io.flinkrnn.operators.kafka.registry.WireFormat;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Observation;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Decodes registry-framed Avro values into observations: the schema id from the frame, the writer schema from
 * the registry, and a decoding plan per writer schema kept in a bounded cache (least recently used out), so a
 * schema is fetched and resolved once, not per record. Without a {@link FieldMapping} the reader is {@code
 * Observation} and Avro's resolution rules take producers' added fields (with defaults), reordered fields and
 * own record names; with one, {@link MappedAvro} reads the mapped fields. An id the registry does not know is
 * an UNKNOWN_SCHEMA_ID rejection (asked again after {@link #UNKNOWN_RECHECK_MS}, in case a registry replica
 * lagged); a schema that is not Avro, too large or unparsable makes each of its records UNDECODABLE; an
 * unreachable registry is the client's {@code RegistryFailedException}, which fails the task.
 */
final class RegistryAvroDecoder {
    static final long UNKNOWN_RECHECK_MS = 10_000;

    /** What to do with the records of one schema id. */
    private interface Plan {
        Observation decode(byte[] value) throws IOException;
    }

    private final SchemaRegistryClient client;
    private final FieldMapping mapping;
    private final Map<Integer, Plan> plans;

    RegistryAvroDecoder(RegistrySettings settings, FieldMapping mapping) {
        this.client = new SchemaRegistryClient(settings);
        this.mapping = mapping;
        int capacity = settings.cacheCapacity();
        this.plans = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Plan> eldest) {
                return size() > capacity;
            }
        };
    }

    Observation decode(byte[] value) throws IOException {
        int id = WireFormat.schemaId(value);
        Plan p = plans.get(id);
        if (p == null || p instanceof Unknown u && System.currentTimeMillis() >= u.recheckAt) {
            p = plan(id);
            plans.put(id, p);
        }
        return p.decode(value);
    }

    private Plan plan(int id) throws IOException {
        SchemaRegistryClient.RegisteredSchema registered;
        try {
            registered = client.schema(id);
        } catch (SchemaNotFoundException e) {
            return new Unknown(id, System.currentTimeMillis() + UNKNOWN_RECHECK_MS);
        } catch (IOException e) {
            return failing(new IOException("schema id " + id + ": " + e.getMessage()));
        }
        if (!registered.type().equalsIgnoreCase("AVRO")) {
            return failing(new IOException("schema id " + id + " is a " + registered.type() + " schema, not Avro"));
        }
        Schema writer;
        try {
            // A writer's defaults are never read (resolution takes the reader's), so one a producer got wrong
            // must not cost it its records.
            writer = new Schema.Parser().setValidateDefaults(false).parse(registered.text());
        } catch (RuntimeException | StackOverflowError e) {
            return failing(new IOException("schema id " + id + " is not a usable Avro schema: " + e.getMessage()));
        }
        String name = "schema id " + id + " (" + writer.getFullName() + ")";
        try {
            if (mapping != null) {
                MappedAvro m = MappedAvro.plan(writer, mapping, name);
                return v -> m.decode(v, WireFormat.HEADER_BYTES);
            }
            return new AsObservation(writer, name);
        } catch (RejectedRecord e) {
            return failing(e);
        } catch (RuntimeException | StackOverflowError e) {
            return failing(new IOException(name + " cannot be resolved against the reader: " + e.getMessage()));
        }
    }

    /** Every record of the schema fails the same way; a fresh exception each time, so messages never mix. */
    private static Plan failing(IOException e) {
        DeadLetterReason reason = e instanceof RejectedRecord r ? r.reason() : null;
        String message = e.getMessage();
        return v -> {
            throw reason == null ? new IOException(message) : new RejectedRecord(reason, message);
        };
    }

    private static final class Unknown implements Plan {
        final int id;
        final long recheckAt;

        Unknown(int id, long recheckAt) {
            this.id = id;
            this.recheckAt = recheckAt;
        }

        @Override
        public Observation decode(byte[] value) throws IOException {
            throw new RejectedRecord(DeadLetterReason.UNKNOWN_SCHEMA_ID, "the registry has no schema with id " + id);
        }
    }

    /** The built-in shape: {@code Observation} as the reader schema, the producer's schema as the writer. */
    private static final class AsObservation implements Plan {
        private final SpecificDatumReader<Observation> reader;
        private BinaryDecoder decoder;

        AsObservation(Schema writer, String name) throws RejectedRecord {
            for (Schema.Field f : Observation.getClassSchema().getFields()) {
                if (!f.hasDefaultValue() && (writer.getType() != Schema.Type.RECORD || writer.getField(f.name()) == null)) {
                    throw new RejectedRecord(DeadLetterReason.MISSING_FIELD, name + " has no field '" + f.name()
                            + "' and the Observation reader has no default for it");
                }
            }
            reader = new SpecificDatumReader<>(writer, Observation.getClassSchema());
        }

        @Override
        public Observation decode(byte[] value) throws IOException {
            decoder = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_BYTES,
                    value.length - WireFormat.HEADER_BYTES, decoder);
            Observation o = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException("trailing bytes after the Avro record: not written with the schema it names");
            }
            return o;
        }
    }
}
