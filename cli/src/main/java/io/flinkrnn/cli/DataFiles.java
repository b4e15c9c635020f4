package io.flinkrnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a {@code --data} path names: one CSV file (keys from a key column, or one series), or a folder whose CSV
 * files, found recursively and taken in name order, are one key each (the key is the file's path inside the
 * folder without {@code .csv}, e.g. {@code realTraffic/speed_7578}): the layout of NAB's corpus.
 */
final class DataFiles {
    /** A file to read and, for a folder's files, the key all its rows belong to (null: from the file). */
    record Entry(Path file, String key) {
    }

    private DataFiles() {
    }

    static List<Entry> of(Path data, String command) throws IOException {
        if (Files.isRegularFile(data)) {
            return List.of(new Entry(data, null));
        }
        if (!Files.isDirectory(data)) {
            throw new UsageException(command + ": --data " + data + " is neither a file nor a folder");
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".csv")).sorted().toList()) {
                String rel = data.relativize(f).toString().replace('\\', '/');
                out.add(new Entry(f, rel.substring(0, rel.length() - 4)));
            }
        }
        if (out.isEmpty()) {
            throw new UsageException(command + ": --data " + data + " holds no .csv files");
        }
        return out;
    }
}
