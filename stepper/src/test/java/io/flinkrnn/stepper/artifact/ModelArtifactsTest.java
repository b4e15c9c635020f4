package io.flinkrnn.stepper.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GateActivation;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.ModelValidationException;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.schemas.ModelArtifact;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardError;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.TimeFeatures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** Model artifacts round-trip exactly, and every kind of bad file fails with a message that says why. */
class ModelArtifactsTest {
    static RnnModel model() {
        RnnModel m = RandomModels.model(CellType.GRU, GruResetMode.BEFORE_PRODUCT, 3, 9, 2, 4, 17);
        return RnnModel.builder().cell(m.cell()).gruResetMode(m.gruResetMode()).inputSize(3).hiddenSize(9).outputSize(4)
                .addLayer(m.layer(0).weightIhCopy(), m.layer(0).weightHhCopy(), m.layer(0).biasIhCopy(),
                        m.layer(0).biasHhCopy())
                .addLayer(m.layer(1).weightIhCopy(), m.layer(1).weightHhCopy(), m.layer(1).biasIhCopy(),
                        m.layer(1).biasHhCopy())
                .head(m.headWeightCopy(), m.headBiasCopy())
                .normalization(new Normalization(new float[] {1, 2, 3}, new float[] {0.5f, 1, 2}, new float[4],
                        new float[] {1, 2, 3, 4}))
                .build();
    }

    static byte[] bytes(ModelArtifact a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<ModelArtifact> w = new DataFileWriter<>(new SpecificDatumWriter<>(ModelArtifact.class))) {
            w.create(ModelArtifact.getClassSchema(), out);
            w.append(a);
        }
        return out.toByteArray();
    }

    static ForecastModel forecastModel() {
        return ForecastModel.builder(model()).features(List.of("a", "b", "c")).targets(List.of("t")).build();
    }

    static ModelArtifact record() {
        return ModelArtifacts.toRecord(forecastModel(), Map.of("source", "test"));
    }

    static String failure(byte[] file) {
        Exception e = assertThrows(Exception.class,
                () -> ModelArtifacts.read(new ByteArrayInputStream(file), "model.avro"));
        assertTrue(e instanceof IOException || e instanceof ModelValidationException, e.toString());
        assertTrue(e.getMessage().startsWith("model.avro: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void roundTripIsExact() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelArtifacts.write(forecastModel(), Map.of("source", "test"), out);
        ModelArtifacts.Loaded back = ModelArtifacts.read(new ByteArrayInputStream(out.toByteArray()), "model.avro");
        assertEquals(model(), back.network(), "every weight and normalization value, bit for bit");
        assertEquals(forecastModel(), back.model);
        assertEquals(List.of("a", "b", "c"), back.model.features());
        assertEquals(4, back.model.steps(), "4 head outputs of one target are 4 steps");
        assertEquals("test", back.provenance.get("source"));
        assertEquals(64, back.checksum.length());
    }

    @Test
    void hardSigmoidGatesRoundTripInFormat3AndSigmoidModelsStayInFormat2() throws IOException {
        assertEquals(2, record().getFormatVersion(), "older readers keep loading sigmoid models");
        RnnModel hard = RandomModels.withGates(model(), GateActivation.HARD_SIGMOID_KERAS3);
        ForecastModel fm = ForecastModel.builder(hard).features(List.of("a", "b", "c")).targets(List.of("t")).build();
        ModelArtifact a = ModelArtifacts.toRecord(fm, Map.of());
        assertEquals(3, a.getFormatVersion());
        ModelArtifacts.Loaded back = ModelArtifacts.read(new ByteArrayInputStream(bytes(a)), "model.avro");
        assertEquals(GateActivation.HARD_SIGMOID_KERAS3, back.network().gateActivation());
        assertEquals(hard, back.network());
        a.setGateActivation("SIGMOID");
        assertTrue(failure(bytes(a)).contains("weights checksum mismatch"), "the gates are covered");
        a.setGateActivation("SOFTPLUS");
        a.setWeightsSha256(ModelArtifacts.checksum(a));
        assertTrue(failure(bytes(a)).contains("gateActivation is 'SOFTPLUS'"));
    }

    @Test
    void tamperedWeightsFailTheChecksum() throws IOException {
        ModelArtifact a = record();
        a.getLayers().get(1).getWeightHh().set(5, 0.123f);
        assertTrue(failure(bytes(a)).contains("weights checksum mismatch"));
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        byte[] ok = bytes(record());
        String msg = failure(Arrays.copyOf(ok, ok.length / 2));
        assertTrue(msg.contains("not a readable model artifact"), msg);
        assertTrue(failure("not an avro file".getBytes()).contains("not a readable model artifact"));
    }

    @Test
    void unknownFormatVersionIsRefused() throws IOException {
        ModelArtifact a = record();
        a.setFormatVersion(99);
        assertTrue(failure(bytes(a)).contains("format version 99 is not supported"));
    }

    @Test
    void nonFiniteWeightsAndWrongShapesAreNamedEvenWithAValidChecksum() throws IOException {
        ModelArtifact a = record();
        a.getHeadBias().set(2, Float.NaN);
        a.setWeightsSha256(ModelArtifacts.checksum(a));
        assertTrue(failure(bytes(a)).contains("head.bias holds NaN at index 2"));
        ModelArtifact b = record();
        b.setHiddenSize(10);
        b.setWeightsSha256(ModelArtifacts.checksum(b));
        String msg = failure(bytes(b));
        assertTrue(msg.contains("layer 0 weight_ih") && msg.contains("[30][3]"), msg);
    }

    @Test
    void perKeyRulesRoundTripAndAreCoveredByTheChecksum() throws IOException {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 2 + 4, 5, 1, 6, 3);
        ForecastModel m = ForecastModel.builder(net).features(List.of("a", "t")).targets(List.of("a", "t"))
                .scaling(Scaling.PER_KEY, 300).relativeToLast(true).timeFeatures(TimeFeatures.DAY_WEEK).guard(true)
                .build();
        assertEquals(3, m.steps(), "6 outputs of 2 targets are 3 steps");
        ModelArtifact a = ModelArtifacts.toRecord(m, Map.of());
        assertEquals(m, ModelArtifacts.read(new ByteArrayInputStream(bytes(a)), "model.avro").model);
        a.setRelativeToLast(false);
        assertTrue(failure(bytes(a)).contains("weights checksum mismatch"), "a rule changes forecasts: covered");
    }

    @Test
    void aGuardRecentWindowRoundTripsInFormat4AndIsCoveredByTheChecksum() throws IOException {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 2, 5, 1, 6, 3);
        ForecastModel.Builder b = ForecastModel.builder(net).features(List.of("a", "t")).targets(List.of("a", "t"))
                .scaling(Scaling.PER_KEY, 300).relativeToLast(true).guard(true);
        assertEquals(2, ModelArtifacts.toRecord(b.build(), Map.of()).getFormatVersion(),
                "without a window older readers keep loading the model");
        ForecastModel m = b.guardRecent(5).build();
        ModelArtifact a = ModelArtifacts.toRecord(m, Map.of());
        assertEquals(4, a.getFormatVersion(), "an older reader refuses it by version instead of ignoring the window");
        ForecastModel back = ModelArtifacts.read(new ByteArrayInputStream(bytes(a)), "model.avro").model;
        assertEquals(m, back);
        assertEquals(5, back.guardRecent());
        a.setGuardRecent(20);
        assertTrue(failure(bytes(a)).contains("weights checksum mismatch"), "the window changes forecasts: covered");
    }

    @Test
    void aGuardLevelRoundTripsInFormat5AndIsCoveredByTheChecksum() throws IOException {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 5, 1, 6, 3);
        ForecastModel m = ForecastModel.builder(net).features(List.of("a")).targets(List.of("a"))
                .scaling(Scaling.PER_KEY, 300).relativeToLast(true).guard(true).guardRecent(5).guardLevel(12).build();
        ModelArtifact a = ModelArtifacts.toRecord(m, Map.of());
        assertEquals(5, a.getFormatVersion(), "an older reader refuses it by version instead of ignoring the level");
        ForecastModel back = ModelArtifacts.read(new ByteArrayInputStream(bytes(a)), "model.avro").model;
        assertEquals(m, back);
        assertEquals(12, back.guardLevel());
        a.setGuardLevel(24);
        assertTrue(failure(bytes(a)).contains("weights checksum mismatch"), "the level changes forecasts: covered");
    }

    @Test
    void anEvidenceTestAloneIsWrittenInFormat5AndIsCoveredByTheChecksum() throws IOException {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 5, 1, 1, 3);
        ForecastModel m = ForecastModel.builder(net).features(List.of("a")).targets(List.of("a"))
                .scaling(Scaling.PER_KEY, 300).relativeToLast(true).guard(true).guardEvidence(1.5f).build();
        ModelArtifact a = ModelArtifacts.toRecord(m, Map.of());
        assertEquals(5, a.getFormatVersion());
        ForecastModel back = ModelArtifacts.read(new ByteArrayInputStream(bytes(a)), "model.avro").model;
        assertEquals(m, back);
        assertEquals(1.5f, back.guardEvidence());
        a.setGuardEvidence(1.25f);
        assertTrue(failure(bytes(a)).contains("weights checksum mismatch"), "the test changes forecasts: covered");
    }

    @Test
    void aFormat4FileWrittenBeforeTheLevelFieldExistedStillLoads() throws IOException {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 5, 1, 6, 3);
        ForecastModel m = ForecastModel.builder(net).features(List.of("a")).targets(List.of("a"))
                .scaling(Scaling.PER_KEY, 300).relativeToLast(true).guard(true).guardRecent(5).build();
        ModelArtifact a = ModelArtifacts.toRecord(m, Map.of());
        assertEquals(4, a.getFormatVersion());
        // The schema such a file carries: today's without the fields formats 5 to 7 added.
        byte[] file = writtenWithout(a, List.of("guardLevel", "guardEvidence", "guardLinear", "guardError"));
        ForecastModel back = ModelArtifacts.read(new ByteArrayInputStream(file), "model.avro").model;
        assertEquals(m, back);
        assertEquals(0, back.guardLevel(), "no level: the forecasts it gave before");
        assertEquals(0f, back.guardEvidence(), "nor an evidence test");
    }

    @Test
    void aGuardJudgingBySquaredErrorIsWrittenInFormat7AndIsCoveredByTheChecksum() throws IOException {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 5, 1, 1, 3);
        ForecastModel.Builder b = ForecastModel.builder(net).features(List.of("a")).targets(List.of("a"))
                .scaling(Scaling.PER_KEY, 300).relativeToLast(true).guard(true);
        assertEquals(2, ModelArtifacts.toRecord(b.build(), Map.of()).getFormatVersion(), "absolute: as before");
        ForecastModel m = b.guardError(GuardError.SQUARED).build();
        ModelArtifact a = ModelArtifacts.toRecord(m, Map.of());
        assertEquals(7, a.getFormatVersion(), "an older reader refuses it instead of judging by absolute error");
        ForecastModel back = ModelArtifacts.read(new ByteArrayInputStream(bytes(a)), "model.avro").model;
        assertEquals(m, back);
        assertEquals(GuardError.SQUARED, back.rules().guard().error());
        a.setGuardError("ABSOLUTE");
        assertTrue(failure(bytes(a)).contains("weights checksum mismatch"), "the measure changes forecasts: covered");
        a.setGuardError("CUBED");
        a.setWeightsSha256(ModelArtifacts.checksum(a));
        String unknown = failure(bytes(a));
        assertTrue(unknown.contains("guardError is 'CUBED'; known: [ABSOLUTE, SQUARED]"), unknown);
    }

    @Test
    void aFormat6FileWrittenBeforeTheErrorFieldExistedJudgesByAbsoluteError() throws IOException {
        ForecastModel m = ForecastModel.builder(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 5, 1,
                6, 3)).features(List.of("a")).targets(List.of("a")).rules(ForecastRules.defaults(6)).build();
        ModelArtifact a = ModelArtifacts.toRecord(m, Map.of());
        assertEquals(6, a.getFormatVersion());
        byte[] file = writtenWithout(a, List.of("guardError"));
        ForecastModel back = ModelArtifacts.read(new ByteArrayInputStream(file), "model.avro").model;
        assertEquals(m, back);
        assertEquals(GuardError.ABSOLUTE, back.rules().guard().error(), "what it was judged by when written");
    }

    /** {@code a} in a file whose schema is today's without {@code dropped}: what an older flink-rnn wrote. */
    static byte[] writtenWithout(ModelArtifact a, List<String> dropped) throws IOException {
        Schema now = ModelArtifact.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : now.getFields()) {
            if (!dropped.contains(f.name())) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        assertEquals(now.getFields().size() - dropped.size(), fields.size(), "every dropped field exists");
        Schema older = Schema.createRecord(now.getName(), now.getDoc(), now.getNamespace(), false, fields);
        GenericData.Record r = new GenericData.Record(older);
        for (Schema.Field f : fields) {
            r.put(f.name(), a.get(f.name()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<Object> w = new DataFileWriter<>(new SpecificDatumWriter<>(older))) {
            w.create(older, out);
            w.append(r);
        }
        return out.toByteArray();
    }

    @Test
    void formatOneArtifactsStillLoad() throws IOException {
        ModelArtifact a = record();
        a.setFormatVersion(1);
        a.setWeightsSha256(ModelArtifacts.checksum(a));
        ForecastModel back = ModelArtifacts.read(new ByteArrayInputStream(bytes(a)), "model.avro").model;
        assertEquals(forecastModel(), back, "global scaling, direct forecasts: what format 1 meant");
    }

    @Test
    void anUnknownScalingRuleIsNamed() throws IOException {
        ModelArtifact a = record();
        a.setScaling("ROBUST");
        a.setWeightsSha256(ModelArtifacts.checksum(a));
        String msg = failure(bytes(a));
        assertTrue(msg.contains("scaling is 'ROBUST'"), msg);
    }
}
