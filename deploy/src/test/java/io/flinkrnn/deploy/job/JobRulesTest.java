package io.flinkrnn.deploy.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule on the job's settings is checked in one place: a bad value gives exactly one message, naming the
 * setting, the problem and where the value came from, however many layers (job, builder, stepper) take it.
 */
class JobRulesTest {
    @TempDir
    static Path tmp;
    static String observed;
    static String unobserved;

    @BeforeAll
    static void models() throws Exception {
        observed = JobConfigTest.gruModel(tmp).toString();
        Path p = tmp.resolve("unobserved.avro");
        try (OutputStream out = Files.newOutputStream(p)) {
            ModelArtifacts.write(ForecastModel.builder(RandomInit.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 4,
                    1, 1, 1)).features(List.of("load", "temp")).targets(List.of("ot")).build(), Map.of(), out);
        }
        unobserved = p.toString();
    }

    private static String failure(String model, String... settings) {
        String[] args = Stream.concat(Stream.of("--model.uri", model), Stream.of(settings)).toArray(String[]::new);
        return assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(
                StreamExecutionEnvironment.getExecutionEnvironment(), JobConfig.parse(args), s -> s)).getMessage();
    }

    @Test
    void theAnomalyThresholdIsTheStepperRule() {
        assertEquals("anomaly.threshold must be in (0, 1], got 1.5 (from command line)",
                failure(observed, "--anomaly.threshold", "1.5"));
    }

    @Test
    void theSurpriseThresholdIsTheStepperRule() {
        assertEquals("anomaly.surprise must be at least 1, or 0 for none, got 0.5 (from command line)",
                failure(observed, "--anomaly.surprise", "0.5"));
    }

    @Test
    void theAnomalousRulesAreAnomalyRules() {
        assertEquals("anomaly.anomalous.enter must be a positive number, got 0.0 (from command line)",
                failure(observed, "--anomaly.anomalous.enter", "0"));
        assertEquals("anomaly.anomalous.clear-rows must be at least 1, got 0 (from command line)",
                failure(observed, "--anomaly.anomalous.clear-rows", "0"));
    }

    @Test
    void theIntervalCoverageIsTheStepperRule() {
        assertEquals("intervals.coverage must be in (0, 1), or 0 for no intervals, got 1.0 (from command line)",
                failure(observed, "--intervals.coverage", "1"));
        assertEquals("intervals.coverage must be in (0, 1), or 0 for no intervals, got 1.0 (from command line)",
                failure(unobserved, "--intervals.coverage", "1"), "checked even where intervals end up off");
    }

    @Test
    void everyTargetAmongTheFeaturesIsTheStepperRule() {
        assertEquals("anomaly.scoring is on but targets [ot] are not all among the model's input features [load,"
                + " temp], which anomaly scoring needs (observations must carry their actual values)",
                failure(unobserved, "--anomaly.scoring", "on"));
        assertEquals("invalid flink-rnn forecaster: targets [ot] are not all among the model's input features [load,"
                + " temp], which head adaptation needs (observations must carry their actual values)",
                failure(unobserved, "--adaptation", "head"));
    }

    @Test
    void theBatchSizeIsTheOperatorsRange() {
        assertEquals("batch.size must be in 1..1000000, got 0 (from command line)",
                failure(observed, "--batch.size", "0"));
    }

    @Test
    void recordSizesAreSizesInTheirRange() {
        assertEquals("input.max-record-bytes must be from 64 bytes to 8 mb, got 10 bytes (from command line)",
                failure(observed, "--input.max-record-bytes", "10"));
        assertEquals("input.max-key-bytes must be a size in bytes, or like 64kb or 1mb, got 'big' (from command"
                + " line)", failure(observed, "--input.max-key-bytes", "big"));
    }

    @Test
    void settingsThatDependOnEachOtherAreCheckedOnceByTheJob() {
        assertEquals("checkpoint.interval must be set for delivery.guarantee exactly-once",
                failure(observed, "--checkpoint.interval", ""));
        assertEquals("delivery.transaction-timeout (PT5S) must exceed checkpoint.interval (PT10S)",
                failure(observed, "--delivery.transaction-timeout", "5s"));
        assertEquals("job.parallelism must be in 0..100000, got -1 (from command line)",
                failure(observed, "--job.parallelism", "-1"));
    }

    @Test
    void anEmptyValueWhereEmptyMeansNothingIsNamed() {
        assertEquals("batch.size must be a whole number, got '' (from command line)",
                failure(observed, "--batch.size", ""));
        assertEquals("setting model.uri is required: model artifact (.avro): a local path or any URI Flink's"
                + " FileSystem reads (file://, s3://, hdfs://)", failure(""));
    }
}
