package io.flinkrnn.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StatePart;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import java.util.List;
import org.apache.flink.table.api.dataview.MapView;
import org.junit.jupiter.api.Test;

/** The SQL function's store of one key: a history found inside the key's state moves into its map view entry. */
class RnnForecastEntryStoreTest {
    private static RnnForecast.EntryStore store(KeyState inEntry, MapView<Integer, float[]> history) {
        RnnForecast.EntryStore s = new RnnForecast.EntryStore();
        s.entry = new RnnForecast.KeyStateEntry();
        s.entry.key = inEntry;
        s.history = history;
        return s;
    }

    @Test
    void movesAHistoryFoundInsideTheStateApartAndWritesTheStateWithoutIt() throws Exception {
        float[] values = {1f, 2f, 3f, 4f};
        KeyState saved = new KeyState(new float[] {0.5f}, 7, 1000L, new float[] {9f});
        saved.history(values.clone());
        MapView<Integer, float[]> history = new MapView<>();
        RnnForecast.EntryStore s = store(saved, history);

        KeyState read = s.read("k");
        assertNull(read.history(), "the state handed to the stepper holds no history");
        assertArrayEquals(values, history.get(RnnForecast.EntryStore.ONLY), "the history is in its own entry");

        s.readHistory("k", read);
        assertArrayEquals(values, read.history(), "and is read back from there");

        s.write("k", read);
        assertNull(read.history());
        assertNull(s.entry.key.history(), "the state written holds no history");
        assertArrayEquals(values, history.get(RnnForecast.EntryStore.ONLY));
    }

    @Test
    void leavesAnUnchangedHistoryUnwritten() throws Exception {
        float[] kept = {5f, 6f};
        MapView<Integer, float[]> history = new MapView<>();
        history.put(RnnForecast.EntryStore.ONLY, kept);
        RnnForecast.EntryStore s = store(new KeyState(new float[] {0f}, 1, 0L, new float[0]), history);
        KeyState read = s.read("k");
        s.readHistory("k", read);
        s.write("k", read);
        assertSame(kept, history.get(RnnForecast.EntryStore.ONLY), "an unchanged history is not put again");
        assertNull(s.entry.key.history());
    }

    @Test
    void aKeyWithoutStateReadsAsNone() {
        assertNull(store(null, new MapView<>()).read("k"));
    }

    /** A key taken over by a model without the linear model has its history entry deleted when its state is written. */
    @Test
    void deletesTheHistoryOfAKeyWhoseModelHasNoLinearModel() throws Exception {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 1, 3);
        ForecastModel with = ForecastModel.builder(net).features(List.of("y")).targets(List.of("y"))
                .relativeToLast(true).guard(true).guardLinear(300).build();
        ForecastModel without = ForecastModel.builder(net).features(List.of("y")).targets(List.of("y"))
                .relativeToLast(true).guard(true).build();
        MapView<Integer, float[]> history = new MapView<>();
        RnnForecast.EntryStore store = store(null, history);
        float[] y = new float[1];
        try (KeyStepper a = new KeyStepper(with, StepperSettings.defaults(), new CpuStepBackend(net, 1, "t"), 1);
                KeyStepper b = new KeyStepper(without, StepperSettings.defaults(), new CpuStepBackend(net, 1, "t"), 1)) {
            for (int r = 0; r < 410; r++) {
                KeyStepper s = r < 400 ? a : b;
                if (r == 400) {
                    assertEquals(300, history.get(RnnForecast.EntryStore.ONLY).length, "the linear model's history");
                }
                y[0] = (float) Math.sin(r * 0.3);
                StepBatch batch = s.batch();
                batch.clear();
                batch.add("k", r * 60_000L, y, 0);
                s.step(batch, store);
            }
        }
        assertFalse(history.contains(RnnForecast.EntryStore.ONLY), "deleted with the linear part");
        assertEquals(-1, store.entry.key.parts().versionOf(StatePart.LINEAR.id()));
    }
}
