package io.flinkrnn.models.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one way the project writes its JSON reports: Jackson, with a non-finite number (NaN, an infinity) written
 * as {@code null}, as every report has always written it (JSON has no NaN, and Python's {@code json} and
 * {@code jq} read {@code null}). Pretty output separates a name from its value by {@code ": "}, which the
 * benchmark scripts grep for ({@code "samplesPerSecond": }).
 */
public final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule("report-numbers")
            .addSerializer(Double.class, new FiniteOrNull())
            .addSerializer(Double.TYPE, new FiniteOrNull()));
    private static final DefaultIndenter LINES = new DefaultIndenter("  ", "\n");
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(LINES).withArrayIndenter(LINES));
    private static final ObjectWriter COMPACT = MAPPER.writer();

    private ReportJson() {
    }

    /** Indented, one name per line, ending with a newline: the files people and scripts read. */
    public static String pretty(Object value) {
        return write(PRETTY, value) + "\n";
    }

    /** On one line: data embedded in a page. */
    public static String compact(Object value) {
        return write(COMPACT, value);
    }

    /** The mapper, for tests and readers that want the same configuration. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not writable as JSON: " + value.getClass().getName(), e);
        }
    }

    private static final class FiniteOrNull extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (Double.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }
}
