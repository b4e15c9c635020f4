package io.flinkrnn.deploy.job;

import io.flinkrnn.kernels.BackendKind;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How keys are stepped: bundles of observations, and the backend that steps them. */
public final class StepOptions {
    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("batch.size").intType()
            .defaultValue(256).withDescription("observations per bundle: the most keys stepped in one kernel call");
    public static final ConfigOption<Duration> BATCH_MAX_LATENCY = ConfigOptions.key("batch.max-latency")
            .durationType().defaultValue(Duration.ofMillis(50)).withDescription("longest a record waits in a"
                    + " bundle; 0 = flush on size, watermark and checkpoint only");
    public static final ConfigOption<BackendKind> BACKEND_KIND = ConfigOptions.key("backend.kind")
            .enumType(BackendKind.class).defaultValue(BackendKind.AUTO).withDescription("auto (an OpenCL GPU if"
                    + " there is one, else Java threads), java or opencl");
    public static final ConfigOption<Integer> BACKEND_THREADS = ConfigOptions.key("backend.threads").intType()
            .defaultValue(1).withDescription("Java backend threads per operator instance");
    public static final ConfigOption<Boolean> ALLOW_CPU_OPENCL = ConfigOptions.key("backend.allow-cpu-opencl")
            .booleanType().defaultValue(false).withDescription("let auto pick an OpenCL CPU device (PoCL)");

    private StepOptions() {
    }
}
