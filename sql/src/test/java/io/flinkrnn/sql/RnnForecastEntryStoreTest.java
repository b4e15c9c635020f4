package io.flinkrnn.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.flinkrnn.stepper.KeyState;
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
}
