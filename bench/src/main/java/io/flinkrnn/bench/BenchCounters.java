package io.flinkrnn.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** A metric reporter that keeps the counters of the MiniCluster in this JVM, for benchmarks to read at the end. */
public final class BenchCounters implements MetricReporter {
    static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter) {
            COUNTERS.put(group.getMetricIdentifier(name), (Counter) metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // kept: read after the job ends
    }

    /** The sum of the step operators' counters named {@code name}. */
    static long counter(String name) {
        return COUNTERS.entrySet().stream().filter(e -> e.getKey().contains("flink-rnn step ")
                && e.getKey().endsWith("." + name)).mapToLong(e -> e.getValue().getCount()).sum();
    }

    /** The sum of every counter whose identifier contains {@code part} (0 when none was registered). */
    static long sum(String part) {
        return COUNTERS.entrySet().stream().filter(e -> e.getKey().contains(part))
                .mapToLong(e -> e.getValue().getCount()).sum();
    }

    /** Named in the configuration as metrics.reporter.NAME.factory.class. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchCounters();
        }
    }
}
