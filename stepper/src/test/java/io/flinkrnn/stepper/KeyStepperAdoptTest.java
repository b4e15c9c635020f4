package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
            StepBatch b = s.batch();
            b.clear();
            b.add("k", 1000L * t, List.of((float) Math.sin(t)));
            b.plan();
            b.state(0, state);
            s.step(b);
            state = b.state(0);
        }
        return state;
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
}
