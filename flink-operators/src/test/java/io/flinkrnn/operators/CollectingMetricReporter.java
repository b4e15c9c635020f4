package io.flinkrnn.operators;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Keeps every metric the cluster registers, by full identifier (static: the MiniCluster is in this JVM). */
public final class CollectingMetricReporter implements MetricReporter {
    static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

    /** Cluster configuration that installs this reporter. */
    public static org.apache.flink.configuration.Configuration configuration() {
        org.apache.flink.configuration.Configuration c = new org.apache.flink.configuration.Configuration();
        c.setString("metrics.reporter.collect.factory.class", Factory.class.getName());
        return c;
    }

    /** Every metric registered so far in this JVM, by full identifier. */
    public static Map<String, Metric> metrics() {
        return METRICS;
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(name), metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // keep it: the test reads final values after the job has finished
    }

    /** Factory named in the cluster configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CollectingMetricReporter();
        }
    }
}
