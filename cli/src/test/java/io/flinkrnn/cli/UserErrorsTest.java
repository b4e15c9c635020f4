package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected user errors: one line naming the file or option and the problem, no stack trace unless asked. */
class UserErrorsTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        err.reset();
        return FlinkRnnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBinaryFileIsNamedWithTheProblem(@TempDir Path tmp) throws Exception {
        Path bin = tmp.resolve("history.csv");
        Files.write(bin, new byte[] {'a', ',', 'b', '\n', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'});
        assertEquals(2, run("train", "--data", bin.toString(), "--out", tmp.resolve("m.avro").toString()));
        assertTrue(err().contains(bin.toString()) && err().contains("is not UTF-8 text"), err());
        assertEquals(1, err().strip().split("\n").length, "one line: " + err());
    }

    @Test
    void anUnreadableModelIsOneLineAndVerboseAddsTheStack(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model.avro");
        Files.writeString(model, "not a model");
        Path data = tmp.resolve("d.csv");
        Files.writeString(data, "timestamp,v\n1,2\n");
        assertEquals(1, run("predict", "--model", model.toString(), "--data", data.toString(), "--out",
                tmp.resolve("f.csv").toString()));
        assertTrue(err().contains(model + ": not a readable model artifact"), err());
        assertFalse(err().contains("\tat "), "no stack trace by default: " + err());
        assertEquals(1, run("predict", "--model", model.toString(), "--data", data.toString(), "--out",
                tmp.resolve("f.csv").toString(), "--verbose"));
        assertTrue(err().contains("\tat "), "--verbose prints the stack: " + err());
    }

    /** The demo reads its CSV through the same data options as the other commands, checked before Kafka starts. */
    @Test
    void theDemoTakesTheSharedDataOptions(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("d.csv");
        Files.writeString(data, "when;value\n2024-01-01T00:00:00;1\n");
        assertEquals(2, run("demo", "--data", data.toString(), "--time-column", "at"));
        assertTrue(err().contains("d.csv has no column 'at' (--time-column); columns: [when, value]"), err());
        assertEquals(2, run("demo", "--data", data.toString(), "--delimiter", "comma", "--time-column", "at"));
        assertTrue(err().contains("columns: [when;value]"), "--delimiter is passed on: " + err());
        assertEquals(2, run("demo", "--data", data.toString(), "--delimiter", "|"));
        assertTrue(err().contains("Invalid value for option '--delimiter': the delimiter must be , ; tab or auto"),
                err());
        assertEquals(2, run("demo", "--data", tmp.resolve("none.csv").toString()));
        assertTrue(err().contains("does not exist"), err());
    }

    @Test
    void aMissingColumnNamesTheOption(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("d.csv");
        Files.writeString(data, "timestamp,v\n1,2\n");
        assertEquals(2, run("train", "--data", data.toString(), "--targets", "load", "--out",
                tmp.resolve("m.avro").toString()));
        assertTrue(err().contains("has no column 'load' (--targets)"), err());
    }
}
