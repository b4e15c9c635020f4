package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a key keeps when a model update moves it to another model. */
class KeyStepperAdoptTest {
    static final RnnModel NET = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 6, 2, 2, 3);

    static ForecastModel perKey(RnnModel net) {
        return ForecastModel.builder(net).features(List.of("y")).targets(List.of("y")).scaling(Scaling.PER_KEY, 50)
                .build();
    }

    static KeyStepper stepper(ForecastModel m) {
        return new KeyStepper(m, StepperSettings.defaults(), new CpuStepBackend(m.network(), 1, "test"), 4);
    }

    /** A key after ten rows of {@code m}. */
    static KeyState warm(KeyStepper s) {
        KeyState state = null;
        for (int t = 0; t < 10; t++) {
            state = stepRow(s, state, t, new float[0]);
        }
        return state;
    }

    /** Steps one row at time {@code t} from {@code state}: its forecasts into {@code forecasts}, the new state out. */
    static KeyState stepRow(KeyStepper s, KeyState state, int t, float[] forecasts) {
        StepBatch b = s.batch();
        b.clear();
        b.add("k", 1000L * t, List.of((float) Math.sin(t)));
        KeyStateStore.InMemory store = KeyStateStore.inMemory();
        store.write("k", state);
        s.step(b, store);
        for (int i = 0; i < forecasts.length; i++) {
            forecasts[i] = b.forecast(0, i);
        }
        return store.read("k");
    }

    @Test
    void sameLayoutKeepsEverythingAndOnlyTheVersionChanges() {
        ForecastModel other = perKey(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 6, 2, 2, 4));
        try (KeyStepper from = stepper(perKey(NET)); KeyStepper to = stepper(other)) {
            KeyState s = warm(from);
            KeyState before = s.copy();
            KeyState after = to.adopt(s, from, true, 7);
            assertEquals(KeyStepper.Adopted.KEPT, to.lastAdopted());
            assertArrayEquals(before.recurrent(), after.recurrent());
            assertArrayEquals(before.features(), after.features());
            assertEquals(10, after.steps());
            assertEquals(9000L, after.lastEventTime());
            assertEquals(7L, after.modelVersion());
        }
    }

    @Test
    void otherPerKeyRulesKeepTheRecurrentStateAndRestartTheFeatures() {
        ForecastModel global = ForecastModel.builder(NET).features(List.of("y")).targets(List.of("y")).build();
        try (KeyStepper from = stepper(perKey(NET)); KeyStepper to = stepper(global)) {
            KeyState s = warm(from);
            float[] recurrent = s.recurrent().clone();
            KeyState after = to.adopt(s, from, true, 2);
            assertEquals(KeyStepper.Adopted.FEATURES_RESET, to.lastAdopted());
            assertArrayEquals(recurrent, after.recurrent());
            assertEquals(0, after.features().length, "features start afresh at the next row");
            assertEquals(10, after.steps());
        }
    }

    @Test
    void anotherNetworkLayoutOrAResetStartsFromZeroStateKeepingTheTimeOrder() {
        ForecastModel wider = perKey(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 8, 2, 2, 3));
        try (KeyStepper from = stepper(perKey(NET)); KeyStepper to = stepper(wider);
                KeyStepper same = stepper(perKey(NET))) {
            KeyState after = to.adopt(warm(from), from, true, 3);
            assertEquals(KeyStepper.Adopted.RESET, to.lastAdopted());
            assertArrayEquals(new float[wider.network().stateSize()], after.recurrent());
            assertEquals(9000L, after.lastEventTime(), "the time-order rules still hold across the switch");
            KeyState reset = same.adopt(warm(from), from, false, 4);
            assertEquals(KeyStepper.Adopted.RESET, same.lastAdopted(), "the update asked for a reset");
            assertArrayEquals(new float[NET.stateSize()], reset.recurrent());
            assertEquals(4L, reset.modelVersion());
        }
    }

    static ForecastModel guarded(int recent) {
        return guarded(recent, GuardError.ABSOLUTE);
    }

    static ForecastModel guarded(int recent, GuardError error) {
        return ForecastModel.builder(NET).features(List.of("y")).targets(List.of("y")).scaling(Scaling.PER_KEY, 50)
                .relativeToLast(true).guard(true).guardRecent(recent).guardError(error).build();
    }

    @Test
    void gainingOrLosingTheGuardsRecentWindowKeepsEveryOtherFeature() {
        // A model retrained with the new default (the window) over one deployed without it: the keys keep their
        // scaling and guard; the window starts at zero, and with it the first forecasts are the old model's.
        try (KeyStepper without = stepper(guarded(0)); KeyStepper with = stepper(guarded(5));
                KeyStepper again = stepper(guarded(0))) {
            KeyState s = warm(without);
            float[] old = s.features().clone();
            KeyState moved = with.adopt(s.copy(), without, true, 2);
            assertEquals(KeyStepper.Adopted.KEPT, with.lastAdopted());
            assertEquals(old.length + 5 * 2, moved.features().length);
            KeyLayout l = new KeyLayout(guarded(5), true);
            for (int i = 0; i < moved.features().length; i++) {
                int from = i < l.guardRecent ? i : i - 10;
                float want = i >= l.guardRecent && i < l.intervals ? 0f : old[from];
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(moved.features()[i]), "float " + i);
            }
            float[] before = new float[2];
            float[] after = new float[2];
            stepRow(without, s.copy(), 10, before);
            stepRow(with, moved.copy(), 10, after);
            assertArrayEquals(before, after, "zero recent means never overrule the long-run choice");
            KeyState back = again.adopt(moved, with, true, 3);
            assertEquals(KeyStepper.Adopted.KEPT, again.lastAdopted());
            assertArrayEquals(old, back.features(), "dropping the window gives the vector it had");
        }
    }

    @Test
    void switchingHowTheGuardJudgesStartsItsErrorsAfreshAndKeepsEveryOtherFeature() {
        // Absolute errors read as squares (or back) would make the guard choose by a mixture of both measures.
        ForecastModel squared = guarded(5, GuardError.SQUARED);
        try (KeyStepper absolute = stepper(guarded(5)); KeyStepper judged = stepper(squared);
                KeyStepper again = stepper(guarded(5))) {
            KeyState s = warm(absolute);
            float[] old = s.features().clone();
            KeyState moved = judged.adopt(s.copy(), absolute, true, 2);
            assertEquals(KeyStepper.Adopted.KEPT, judged.lastAdopted());
            KeyLayout l = new KeyLayout(squared, false);
            int from = l.guard - 1;
            int to = l.guardRecent + ForecastGuard.recentFloats(squared);
            assertEquals(old.length, moved.features().length);
            for (int i = 0; i < old.length; i++) {
                float want = i >= from && i < to ? 0f : old[i];
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(moved.features()[i]), "float " + i);
            }
            assertTrue(old[l.guard - 1] > 0, "the guard had counted rows");
            KeyState warmed = warm(judged);
            KeyState back = again.adopt(warmed.copy(), judged, true, 3);
            for (int i = from; i < to; i++) {
                assertEquals(0, Float.floatToIntBits(back.features()[i]), "squared errors are not read as absolute: "
                        + i);
            }
        }
    }

    @Test
    void gainingOrLosingTheGuardsLevelKeepsEveryOtherFeatureAndWarmsTheLevelUpAfresh() {
        ForecastModel levelled = ForecastModel.builder(NET).features(List.of("y")).targets(List.of("y"))
                .scaling(Scaling.PER_KEY, 50).relativeToLast(true).guard(true).guardRecent(5).guardLevel(12).build();
        try (KeyStepper without = stepper(guarded(5)); KeyStepper with = stepper(levelled);
                KeyStepper again = stepper(guarded(5))) {
            KeyState s = warm(without);
            float[] old = s.features().clone();
            KeyState moved = with.adopt(s.copy(), without, true, 2);
            assertEquals(KeyStepper.Adopted.KEPT, with.lastAdopted());
            KeyLayout l = new KeyLayout(levelled, false);
            int part = ForecastGuard.levelFloats(levelled);
            assertEquals(1 + 1 + 2 + 2, part, "count, level, two origins' levels, step 2's long-run and recent error");
            assertEquals(old.length + part, moved.features().length);
            for (int i = 0; i < moved.features().length; i++) {
                boolean inLevel = i >= l.guardLevel && i < l.guardLevel + part;
                float want = inLevel ? 0f : old[i < l.guardLevel ? i : i - part];
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(moved.features()[i]), "float " + i);
            }
            // Until the level has a step-2 forecast of its own resolved, it must not compete with warm blends.
            KeyState a = s.copy();
            KeyState b = moved.copy();
            for (int t = 10; t < 12; t++) {
                float[] before = new float[2];
                float[] after = new float[2];
                a = stepRow(without, a, t, before);
                b = stepRow(with, b, t, after);
                assertArrayEquals(before, after, "row " + t + ": a level with no resolved error is not chosen");
            }
            KeyState back = again.adopt(moved, with, true, 3);
            assertEquals(KeyStepper.Adopted.KEPT, again.lastAdopted());
            assertArrayEquals(old, back.features(), "dropping the level gives the vector it had");
        }
    }

    @Test
    void gainingTheGuardsEvidenceTestKeepsEveryOtherFeatureAndStartsAtTheLastValue() {
        ForecastModel tested = ForecastModel.builder(NET).features(List.of("y")).targets(List.of("y"))
                .scaling(Scaling.PER_KEY, 50).relativeToLast(true).guard(true).guardRecent(5).guardEvidence(1f)
                .build();
        try (KeyStepper without = stepper(guarded(5)); KeyStepper with = stepper(tested);
                KeyStepper again = stepper(guarded(5))) {
            KeyState s = warm(without);
            float[] old = s.features().clone();
            KeyState moved = with.adopt(s.copy(), without, true, 2);
            assertEquals(KeyStepper.Adopted.KEPT, with.lastAdopted());
            KeyLayout l = new KeyLayout(tested, false);
            int part = ForecastGuard.evidenceFloats(tested);
            assertEquals(1 + 4 * 2, part, "its count, a mean and a square per blend above 0");
            for (int i = 0; i < moved.features().length; i++) {
                boolean inPart = i >= l.guardEvidence && i < l.guardEvidence + part;
                float want = inPart ? 0f : old[i < l.guardEvidence ? i : i - part];
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(moved.features()[i]), "float " + i);
            }
            float[] after = new float[2];
            stepRow(with, moved.copy(), 10, after);
            assertEquals((float) Math.sin(10), after[0], "no evidence yet: step 1 is the last value");
            KeyState back = again.adopt(moved, with, true, 3);
            assertEquals(KeyStepper.Adopted.KEPT, again.lastAdopted());
            assertArrayEquals(old, back.features(), "dropping the test gives the vector it had");
        }
    }
}
