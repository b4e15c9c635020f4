package io.flinkrnn.operators.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.schemas.ModelUpdate;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every check an update must pass, each refusal with a message that names the update and the problem. */
class ModelUpdateLoaderTest {
    static final ForecastModel RUNNING = ForecastModel.of(RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT,
            2, 8, 1, 2, 5));
    static final ModelUpdateLoader LOADER = new ModelUpdateLoader("traffic", RUNNING, StepperSettings.defaults(), 1000);

    @TempDir
    Path tmp;

    static byte[] artifact(ForecastModel m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelArtifacts.write(m, Map.of(), out);
        return out.toByteArray();
    }

    static ModelUpdate.Builder update(byte[] inline) {
        return ModelUpdate.newBuilder().setModelId("traffic").setVersion(2).setSha256(ModelUpdateLoader.sha256(inline))
                .setArtifact(ByteBuffer.wrap(inline)).setEffectiveFrom(Instant.ofEpochMilli(1_500))
                .setState(ModelStatePolicy.KEEP);
    }

    static String refusal(ModelUpdate u) {
        return assertThrows(ModelUpdateLoader.Refused.class, () -> LOADER.load(u, 1)).getMessage();
    }

    @Test
    void acceptsAGoodUpdateInlineOrByUriAndRoundsTheSwitchUpToTheGranularity() throws Exception {
        byte[] a = artifact(RUNNING);
        AcceptedModel m = LOADER.load(update(a).build(), 1);
        assertEquals(2, m.version);
        assertEquals(2_000, m.switchAtMillis, "1.5 s rounds up to the next whole second");
        assertTrue(m.keepState);
        Path file = tmp.resolve("m.avro");
        Files.write(file, a);
        AcceptedModel byUri = LOADER.load(update(a).setArtifact(null).setUri(file.toUri().toString())
                .setState(ModelStatePolicy.RESET).setEffectiveFrom(Instant.ofEpochMilli(3_000)).build(), 1);
        assertEquals(3_000, byUri.switchAtMillis, "a whole second stays");
        assertFalse(byUri.keepState);
        assertEquals(RUNNING.network(), byUri.model.network());
    }

    @Test
    void refusesWhatIsNotForThisJobOrNotNewer() throws Exception {
        byte[] a = artifact(RUNNING);
        assertTrue(refusal(update(a).setModelId("weather").build()).contains("is for model 'weather'; this job runs"
                + " model 'traffic'"));
        assertTrue(refusal(update(a).setVersion(1).build()).contains("version 1 is stale"));
        assertTrue(refusal(update(a).setSha256("abc").build()).contains("sha256 must be 64 hex digits"));
        assertTrue(refusal(update(a).setArtifact(null).build()).contains("has neither an artifact nor a uri"));
    }

    @Test
    void refusesATamperedMissingOrUnreadableArtifact() throws Exception {
        byte[] a = artifact(RUNNING);
        byte[] tampered = a.clone();
        tampered[tampered.length - 40] ^= 4;
        String m = refusal(update(a).setArtifact(ByteBuffer.wrap(tampered)).build());
        assertTrue(m.contains("model update traffic version 2: the inline artifact hashes to") && m.contains(
                "tampered"), m);
        byte[] junk = "not an artifact".getBytes();
        m = refusal(update(junk).build());
        assertTrue(m.contains("not a readable model artifact"), m);
        m = refusal(update(a).setArtifact(null).setUri(tmp.resolve("gone.avro").toUri().toString()).build());
        assertTrue(m.contains("gone.avro could not be read"), m);
    }

    @Test
    void refusesAModelThatReadsOtherFeaturesOrLacksTheTargetsScoringNeeds() throws Exception {
        ForecastModel three = ForecastModel.of(RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 3, 8, 1,
                2, 6));
        String m = refusal(update(artifact(three)).build());
        assertTrue(m.contains("reads features [f0, f1, f2] but the stream's records carry [f0, f1]"), m);
        ForecastModel observed = ForecastModel.builder(RUNNING.network()).features(List.of("a", "b"))
                .targets(List.of("a")).build();
        ModelUpdateLoader scoring = new ModelUpdateLoader("traffic", observed,
                StepperSettings.defaults().withAnomalyScoring(true), 1000);
        ForecastModel renamedTarget = ForecastModel.builder(RUNNING.network()).features(List.of("a", "b"))
                .targets(List.of("c")).build();
        m = assertThrows(ModelUpdateLoader.Refused.class, () -> scoring.load(update(artifact(renamedTarget)).build(),
                1)).getMessage();
        assertTrue(m.contains("targets [c] are not all among the model's input features [a, b], which anomaly scoring"
                + " needs"), m);
        assertEquals(2, scoring.load(update(artifact(observed)).build(), 1).version);
    }

    @Test
    void alignsUpWithoutOverflow() {
        assertEquals(0, AcceptedModel.alignUp(0, 1000));
        assertEquals(-1000, AcceptedModel.alignUp(-1500, 1000));
        assertEquals(Long.MAX_VALUE, AcceptedModel.alignUp(Long.MAX_VALUE, 1000));
    }
}
