package io.flinkrnn.stepper;

import java.util.Locale;

/**
 * The name a constant goes by in metrics and logs: its enum name in lower camel case ({@code GUARD_LEVEL} ->
 * {@code guardLevel}), as Flink's own metrics are named. One rule for every enum the stepper reports by.
 */
final class MetricNames {
    private MetricNames() {
    }

    static String of(Enum<?> e) {
        String[] words = e.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return b.toString();
    }
}
