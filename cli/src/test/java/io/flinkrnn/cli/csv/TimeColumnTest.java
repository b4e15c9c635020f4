package io.flinkrnn.cli.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeColumnTest {
    private static final Path A = Path.of("a.csv");
    private static final Path B = Path.of("b.csv");

    @Test
    void aNamedColumnWinsOverDetection() {
        assertEquals(2, TimeColumn.named("when").index(List.of("timestamp", "v", "when"), A));
    }

    @Test
    void aNamedColumnAFileLacksIsAnErrorNamingTheFileAndTheOption() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> TimeColumn.named("when").index(List.of("timestamp", "v"), A)).getMessage();
        assertEquals("a.csv has no column 'when' (--time-column); columns: [timestamp, v]", m);
    }

    @Test
    void detectionTakesTheFirstKnownNameInOrderOfPreferenceIgnoringCase() {
        assertEquals(1, TimeColumn.named(null).index(List.of("time", "Timestamp", "v"), A));
        assertEquals(0, TimeColumn.named(null).index(List.of("datetime", "Accelerometer1RMS"), A), "SKAB");
        assertEquals(0, TimeColumn.named(null).index(List.of("date", "HUFL", "OT"), A), "ETT");
        assertEquals(-1, TimeColumn.named(null).index(List.of("when", "v"), A), "none");
    }

    @Test
    void detectionIsDoneOnceSoEveryLaterFileNeedsTheSameColumn() {
        TimeColumn t = TimeColumn.named(null);
        assertEquals(0, t.index(List.of("date", "v"), A));
        assertEquals(1, t.index(List.of("v", "date", "timestamp"), B), "still date, though b has a timestamp");
        String m = assertThrows(IllegalArgumentException.class, () -> t.index(List.of("timestamp", "v"), B))
                .getMessage();
        assertEquals("b.csv has no column 'date' (the time column found in a.csv); columns: [timestamp, v]", m);
        TimeColumn none = TimeColumn.named(null);
        assertEquals(-1, none.index(List.of("v"), A));
        assertEquals(-1, none.index(List.of("timestamp", "v"), B), "a file without times decided for the rest");
    }

    @Test
    void requiredAsksForTheOptionWhenThereIsNone() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> TimeColumn.named(null).required(List.of("when", "v"), A)).getMessage();
        assertTrue(m.startsWith("a.csv has no time column (none is named timestamp, date, time, datetime); name it"
                + " with --time-column"), m);
    }
}
