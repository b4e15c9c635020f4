package io.flinkrnn.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.cli.data.DemoSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo reads the real series in ../shared/data (skipped without the folder; under CI a failure). */
class SeriesFilesTest {
    static Path data(String relative) {
        return io.flinkrnn.kernels.TestEnvironment.data(relative);
    }

    @Test
    void aFolderIsOneKeyPerFile() throws Exception {
        SeriesFiles.Loaded l = SeriesFiles.read(data("nab/data/realTraffic"), null, null, null, null);
        try (var files = Files.list(data("nab/data/realTraffic"))) {
            assertEquals(files.filter(f -> f.toString().endsWith(".csv")).count(), l.series().keys.size());
        }
        assertEquals("value", l.series().valueName);
        DemoSeries.Key k = l.series().keys.get(0);
        assertTrue(k.rows() > 1000);
        assertTrue(k.times[1] > k.times[0] && k.times[0] > 1_000_000_000_000L, "timestamps parsed: " + k.times[0]);
    }

    @Test
    void aFileWithManyColumnsForecastsTheLastOrTheNamedOne() throws Exception {
        SeriesFiles.Loaded l = SeriesFiles.read(data("ett/ETTh1.csv"), null, null, null, null);
        assertEquals("OT", l.series().valueName);
        assertEquals(17420, l.series().events());
        assertEquals(3_600_000L, l.series().keys.get(0).times[1] - l.series().keys.get(0).times[0]);
        assertEquals("HUFL", SeriesFiles.read(data("ett/ETTh1.csv"), "HUFL", null, null, null).series().valueName);
    }
}
