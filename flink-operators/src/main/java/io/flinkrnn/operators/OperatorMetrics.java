package io.flinkrnn.operators;

import io.flinkrnn.kernels.BackendInfo;
import io.flinkrnn.operators.bundle.BundleFlush;
import io.flinkrnn.operators.bundle.FlushCause;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.stepper.ForecastSource;
import io.flinkrnn.stepper.StatePart;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

/**
 * The operator's metrics, under the operator's group: {@code recordsIn}, {@code forecastsOut}, {@code
 * keysStarted} (keys stepped from zero state: new, or expired by TTL), {@code stateReads} and {@code
 * stateWrites} (keyed-state accesses: one read per distinct key per flush, one write per key that changed;
 * on RocksDB each is a (de)serialisation and a JNI call), {@code historyReads} and {@code historyWrites} (the
 * linear forecaster's older values, kept apart: read only before a refit or a write, written once per 128 rows),
 * {@code keyStepsPerSecond}, {@code lastBundleSize}, {@code lastKernelMicros}, {@code flushes.<cause>}, {@code deadLetters.<reason>}, {@code
 * statePartsStartedFresh.<part>} (keys that had stepped before whose part of the state started fresh: it was
 * new to the restored or previous layout), {@code forecastSources.<source>} (forecasts, one per output of each
 * stepped row, by the guard's candidate that made them: {@code network}, {@code blend}, {@code lastValue}, {@code
 * level}, {@code linear}, {@code linearMix}), and the gauges {@code backend} and {@code backendReason}.
 */
final class OperatorMetrics {
    private final Counter recordsIn;
    private final Counter forecastsOut;
    private final Counter keysStarted;
    private final Counter keySteps;
    private final Counter stateReads;
    private final Counter stateWrites;
    private final Counter historyReads;
    private final Counter historyWrites;
    private final Map<FlushCause, Counter> flushes = new EnumMap<>(FlushCause.class);
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Map<StatePart, Counter> partsStartedFresh = new EnumMap<>(StatePart.class);
    private final Map<ForecastSource, Counter> forecastSources = new EnumMap<>(ForecastSource.class);
    private final String backendName;
    private volatile int lastBundleSize;
    private volatile long lastKernelNanos;

    OperatorMetrics(MetricGroup group, BackendInfo backend) {
        recordsIn = group.counter("recordsIn");
        forecastsOut = group.counter("forecastsOut");
        keysStarted = group.counter("keysStarted");
        keySteps = group.counter("keySteps");
        stateReads = group.counter("stateReads");
        stateWrites = group.counter("stateWrites");
        historyReads = group.counter("historyReads");
        historyWrites = group.counter("historyWrites");
        group.meter("keyStepsPerSecond", new MeterView(keySteps));
        group.gauge("lastBundleSize", (Gauge<Integer>) () -> lastBundleSize);
        group.gauge("lastKernelMicros", (Gauge<Long>) () -> lastKernelNanos / 1000);
        backendName = backend.kind().name().toLowerCase() + ":" + backend.device();
        group.gauge("backend", (Gauge<String>) () -> backendName);
        group.gauge("backendReason", (Gauge<String>) backend::reason);
        MetricGroup f = group.addGroup("flushes");
        for (FlushCause c : FlushCause.values()) {
            flushes.put(c, f.counter(c.name().toLowerCase()));
        }
        MetricGroup p = group.addGroup("statePartsStartedFresh");
        for (StatePart part : StatePart.values()) {
            partsStartedFresh.put(part, p.counter(part.label()));
        }
        MetricGroup s = group.addGroup("forecastSources");
        for (ForecastSource source : ForecastSource.values()) {
            forecastSources.put(source, s.counter(source.metricName()));
        }
        MetricGroup d = group.addGroup("deadLetters");
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, d.counter(r.name().toLowerCase()));
        }
    }

    String backendName() {
        return backendName;
    }

    void recordIn() {
        recordsIn.inc();
    }

    void forecastOut() {
        forecastsOut.inc();
    }

    void keyStarted() {
        keysStarted.inc();
    }

    void stateRead() {
        stateReads.inc();
    }

    void stateWritten() {
        stateWrites.inc();
    }

    void historyRead() {
        historyReads.inc();
    }

    void historyWritten() {
        historyWrites.inc();
    }

    void flushed(FlushCause cause, int size) {
        flushes.get(cause).inc();
        lastBundleSize = size;
    }

    void stepped(BundleFlush.Stats done) {
        keySteps.inc(done.steppedRows);
        lastKernelNanos = done.kernelNanos;
        for (ForecastSource s : ForecastSource.values()) {
            forecastSources.get(s).inc(done.forecastsBy(s));
        }
    }

    void partStartedFresh(StatePart part) {
        partsStartedFresh.get(part).inc();
    }

    void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).inc();
    }
}
