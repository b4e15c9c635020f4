package io.flinkrnn.bench;

import java.util.HashMap;
import java.util.Map;

/** The benchmarks' command lines: {@code --name value} pairs, read into a map by name (without the dashes). */
final class BenchArgs {
    private BenchArgs() {
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        return a;
    }
}
