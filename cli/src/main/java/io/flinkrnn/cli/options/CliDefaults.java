package io.flinkrnn.cli.options;

import java.time.Duration;
import java.util.Collection;
import java.util.stream.Collectors;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Defaults are the options' field initial values (typed, often constants of the module that owns the setting);
 * this shows enums, durations and lists the way users type them, so {@code ${DEFAULT-VALUE}} reads {@code lstm}
 * rather than {@code LSTM}, {@code 10s} rather than {@code PT10S}, {@code a,b} rather than {@code [a, b]}.
 * Everything else keeps picocli's own rendering.
 */
public final class CliDefaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
        Object v = arg.initialValue();
        if (v instanceof Enum<?> e) {
            return Choices.spell(e);
        }
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof Collection<?> c && !c.isEmpty()) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return null;
    }
}
