package io.flinkrnn.deploy.job;

import io.flinkrnn.stepper.DuplicatePolicy;
import io.flinkrnn.stepper.TimeOrderPolicy;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * Which records a key steps on and in what order; the others are dead letters with a reason of their own. The
 * record sizes are Flink memory sizes: a number of bytes, or with a unit ({@code 64kb}, {@code 1mb}).
 */
public final class InputOptions {
    public static final ConfigOption<TimeOrderPolicy> TIME_GOING_BACK = ConfigOptions.key("order.time-going-back")
            .enumType(TimeOrderPolicy.class).defaultValue(TimeOrderPolicy.REJECT).withDescription("an event earlier"
                    + " than its key's last step: reject (dead letter TIME_WENT_BACKWARDS) or accept");
    public static final ConfigOption<DuplicatePolicy> DUPLICATES = ConfigOptions.key("order.duplicates")
            .enumType(DuplicatePolicy.class).defaultValue(DuplicatePolicy.STEP).withDescription("an event at its"
                    + " key's last event time: step or reject");
    public static final ConfigOption<Duration> EVENT_TIME_BOUND = ConfigOptions.key("order.event-time-bound")
            .durationType().noDefaultValue().withDescription("empty = arrival order; a duration = step each key in"
                    + " event-time order, waiting up to this much for late records (later ones: LATE)");
    public static final ConfigOption<Duration> MAX_EVENT_TIME_AHEAD = ConfigOptions.key(
            "order.max-event-time-ahead").durationType().defaultValue(Duration.ofMinutes(15)).withDescription(
            "an event time further ahead of its Kafka record's timestamp is a dead letter EVENT_TIME_AHEAD (a device"
                    + " clock off), so it cannot turn its key's honest records away as TIME_WENT_BACKWARDS; empty ="
                    + " no bound");
    public static final ConfigOption<MemorySize> MAX_RECORD_BYTES = ConfigOptions.key("input.max-record-bytes")
            .memoryType().defaultValue(MemorySize.ofMebiBytes(1)).withDescription("a Kafka record (value or key)"
                    + " larger than this is a dead letter RECORD_TOO_LARGE, not decoded");
    public static final ConfigOption<MemorySize> MAX_KEY_BYTES = ConfigOptions.key("input.max-key-bytes")
            .memoryType().defaultValue(MemorySize.parse("1kb")).withDescription("a series key longer than this"
                    + " (UTF-8 bytes), or holding a control character or bytes that were not UTF-8, is a dead letter"
                    + " BAD_KEY");
    public static final ConfigOption<Integer> MAX_VALUES = ConfigOptions.key("input.max-values").intType()
            .defaultValue(1024).withDescription("a record with more values is a dead letter TOO_MANY_VALUES (JSON"
                    + " decoding stops there)");

    private InputOptions() {
    }
}
