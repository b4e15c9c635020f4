package io.flinkrnn.operators.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StatePart;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Keys saved by the flink-rnn that wrote state formats 3 and 4 (commit 9a01ec7, before a key's features carried
 * their parts) step on with the very bits that version gave. {@code state/format34/} was written once by that
 * version ({@code WriteFormat34State.java.txt} beside it): a model with per-key scaling and the guard, three keys
 * after 300 hourly rows with intervals and anomaly scoring on (two in format 3, one on a model update in format
 * 4), and what that version forecast, scored and flagged for the next 50 rows of each.
 */
class RnnKeyStateFormat34Test {
    private static final String DIR = "/state/format34/";
    private static final String[] KEYS = {"a", "b", "c"};
    private static final int WARM = 300;
    private static final int MORE = 50;

    static float value(int k, int t) {
        return 50f + 10f * (float) Math.sin(t / 5.0 + k) + ((t * 7 + k * 3) % 11) * 0.3f;
    }

    private static InputStream resource(String name) {
        InputStream in = RnnKeyStateFormat34Test.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new AssertionError("missing test resource " + DIR + name);
        }
        return in;
    }

    private static List<KeyState> savedKeys() throws IOException {
        DataInputDeserializer in;
        try (InputStream s = resource("keys.bin")) {
            in = new DataInputDeserializer(s.readAllBytes());
        }
        List<KeyState> keys = new ArrayList<>();
        for (int k = 0; k < KEYS.length; k++) {
            keys.add(RnnKeyStateSerializer.INSTANCE.deserialize(in));
        }
        assertEquals(0, in.available(), "trailing bytes");
        return keys;
    }

    private static List<String[]> continuation() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource("continuation.txt"),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.startsWith("#")) {
                    rows.add(line.split(" "));
                }
            }
        }
        return rows;
    }

    private static ForecastModel model() throws IOException {
        try (InputStream in = resource("model.avro")) {
            return ModelArtifacts.read(in, "format34/model.avro").model;
        }
    }

    @Test
    void keysSavedInFormats3And4StepOnWithTheBitsTheyWouldHaveHad() throws IOException {
        ForecastModel m = model();
        List<KeyState> saved = savedKeys();
        assertNull(saved.get(0).parts(), "format 3 recorded no parts");
        assertEquals(7L, saved.get(2).modelVersion(), "format 4 kept the key's model version");
        List<String[]> want = continuation();
        StepperSettings settings = StepperSettings.defaults().withAnomalyScoring(true).withIntervals(0.9);
        try (KeyStepper s = new KeyStepper(m, settings, new CpuStepBackend(m.network(), 1, "test"), 1)) {
            StepBatch b = s.batch();
            int line = 0;
            for (int k = 0; k < KEYS.length; k++) {
                KeyStateStore store = KeyStateStore.inMemory();
                store.write(KEYS[k], saved.get(k));
                for (int t = WARM; t < WARM + MORE; t++) {
                    b.clear();
                    b.add(KEYS[k], t * 3_600_000L, new float[] {value(k, t)}, 0);
                    s.step(b, store);
                    String[] w = want.get(line++);
                    String where = KEYS[k] + " row " + t;
                    assertEquals(KEYS[k] + " " + t, w[0] + " " + w[1]);
                    for (int i = 0; i < m.outputs(); i++) {
                        assertEquals(Integer.parseInt(w[2 + 2 * i]), Float.floatToIntBits(b.forecast(0, i)),
                                where + " forecast " + i);
                        assertEquals(Integer.parseInt(w[3 + 2 * i]), Float.floatToIntBits(b.halfWidth(0, i)),
                                where + " half-width " + i);
                    }
                    int at = 2 + 2 * m.outputs();
                    assertEquals(Integer.parseInt(w[at]), Float.floatToIntBits(b.score(0)), where + " score");
                    assertEquals(Integer.parseInt(w[at + 1]), Float.floatToIntBits(b.rawScore(0)), where + " raw");
                    assertEquals(Boolean.parseBoolean(w[at + 2]), b.flagged(0), where + " flag");
                }
                assertEquals(s.stateParts(), store.read(KEYS[k]).parts(), "moved into today's parts");
            }
            for (StatePart p : StatePart.values()) {
                boolean newer = p == StatePart.SIGNALS || p == StatePart.HOLD; // formats 3 and 4 predate them
                assertEquals(newer ? KEYS.length : 0, s.freshParts().count(p), p + ": only the newer parts start fresh");
            }
        }
    }

    @Test
    void aFormat3KeyRestoredWithIntervalsAndScoringOffKeepsItsForecasts() throws IOException {
        ForecastModel m = model();
        List<String[]> want = continuation();
        try (KeyStepper s = new KeyStepper(m, StepperSettings.defaults(), new CpuStepBackend(m.network(), 1, "t"),
                1)) {
            StepBatch b = s.batch();
            KeyStateStore store = KeyStateStore.inMemory();
            store.write("a", savedKeys().get(0));
            for (int t = WARM; t < WARM + MORE; t++) {
                b.clear();
                b.add("a", t * 3_600_000L, new float[] {value(0, t)}, 0);
                s.step(b, store);
                for (int i = 0; i < m.outputs(); i++) {
                    assertEquals(Integer.parseInt(want.get(t - WARM)[2 + 2 * i]), Float.floatToIntBits(
                            b.forecast(0, i)), "row " + t + " forecast " + i);
                }
            }
            for (StatePart p : StatePart.values()) {
                assertEquals(0, s.freshParts().count(p), p + ": the scaling and the guard were recognised and kept");
            }
        }
    }
}
