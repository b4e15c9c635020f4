package io.flinkrnn.cli;

import io.flinkrnn.models.csv.CsvReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a CSV's fields by the project's reader, header first, so a quoted field stays one field. */
final class CsvFields {
    private CsvFields() {
    }

    static List<String[]> of(Path file) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (CsvReader csv = CsvReader.open(file, null)) {
            rows.add(csv.header().toArray(new String[0]));
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                rows.add(row.fields());
            }
        }
        return rows;
    }
}
