package io.flinkrnn.operators;

import io.flinkrnn.stepper.KeyStepper;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Model-update metrics, under the operator's group {@code modelUpdates}: {@code accepted}, {@code refused},
 * {@code late} (accepted after this instance had stepped rows at or past the switch time), {@code
 * keysSwitched} (keys moved to a newer version), {@code keysReset} (of those, keys that started from zero
 * state: the layouts differ, or the update asked for it), {@code keysFeaturesReset} (recurrent state kept,
 * per-key statistics started afresh), and the gauge {@code version}, the newest version this instance runs.
 */
final class ModelUpdateMetrics {
    private final Counter accepted;
    private final Counter refused;
    private final Counter late;
    private final Counter keysSwitched;
    private final Counter keysReset;
    private final Counter keysFeaturesReset;

    ModelUpdateMetrics(MetricGroup operator, LongSupplier newestVersion) {
        MetricGroup g = operator.addGroup("modelUpdates");
        accepted = g.counter("accepted");
        refused = g.counter("refused");
        late = g.counter("late");
        keysSwitched = g.counter("keysSwitched");
        keysReset = g.counter("keysReset");
        keysFeaturesReset = g.counter("keysFeaturesReset");
        g.gauge("version", (Gauge<Long>) newestVersion::getAsLong);
    }

    void accepted(boolean wasLate) {
        accepted.inc();
        if (wasLate) {
            late.inc();
        }
    }

    void refused() {
        refused.inc();
    }

    void switched(KeyStepper.Adopted what) {
        keysSwitched.inc();
        if (what == KeyStepper.Adopted.RESET) {
            keysReset.inc();
        } else if (what == KeyStepper.Adopted.FEATURES_RESET) {
            keysFeaturesReset.inc();
        }
    }
}
