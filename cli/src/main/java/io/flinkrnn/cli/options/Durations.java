package io.flinkrnn.cli.options;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Duration options: Flink's syntax ({@code 30s}, {@code 5min}, {@code 250ms}), and a bare number is seconds (as
 * {@code --timeout 240} and {@code --duration 90} were always written).
 */
public final class Durations implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.trim();
        try {
            if (v.matches("[0-9]+(\\.[0-9]+)?")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e9));
            }
            return TimeUtils.parseDuration(v);
        } catch (RuntimeException e) {
            throw new TypeConversionException("must be a duration such as 30s, 5min or 90 (seconds), got '" + value
                    + "'");
        }
    }

    /** How help shows a duration: whole seconds as {@code 90s}, else milliseconds. */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
