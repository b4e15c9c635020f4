package io.flinkrnn.deploy.job;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.stepper.Adaptation;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import io.flinkrnn.stepper.DuplicatePolicy;
import io.flinkrnn.operators.InputLimits;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeOrderPolicy;
import io.flinkrnn.operators.kafka.FlinkRnnKafka;
import io.flinkrnn.operators.kafka.KafkaForecastPipeline;
import io.flinkrnn.operators.kafka.ObservationFormat;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flink-rnn streaming job: Kafka observations in, per-key LSTM/GRU stepping in keyed state, forecasts and
 * dead letters out. The main class of the job jar ({@code flink run}) and of {@code flink-rnn job}. All
 * settings come from {@link JobConfig}; a bad setting or model fails before the job is submitted.
 */
public final class FlinkRnnJob {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkRnnJob.class);
    private static final int EIGHT_MIB = 8 << 20;

    private FlinkRnnJob() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(JobConfig.help());
            return;
        }
        JobConfig config = JobConfig.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        String name = build(env, config, UnaryOperator.identity());
        env.execute(name);
    }

    /**
     * Whether forecasts carry anomaly scores: {@code on} (an error if some target is not among the model's
     * features, since the stream would not carry its value), {@code off}, or {@code auto} (on when every
     * target is a feature).
     */
    public static boolean anomalyScoring(String mode, ForecastModel model) {
        try {
            return StepperSettings.scoringFor(mode, model);
        } catch (IllegalArgumentException e) {
            throw new JobConfigException("anomaly.scoring " + e.getMessage());
        }
    }

    /**
     * Checks every setting, loads the model and adds the pipeline to {@code env}; returns the job name.
     * {@code between} may wrap the decoded observations (the demo counts them, tests inject faults).
     */
    public static String build(StreamExecutionEnvironment env, JobConfig c,
            UnaryOperator<org.apache.flink.streaming.api.datastream.DataStream<io.flinkrnn.schemas.Observation>>
                    between) {
        String modelUri = c.string("model.uri");
        int parallelism = c.integer("job.parallelism", 0, 100_000);
        Duration checkpoints = c.duration("checkpoint.interval");
        DeliveryGuarantee guarantee = c.choice("delivery.guarantee", "exactly-once", "at-least-once")
                .equals("exactly-once") ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        Duration txTimeout = c.duration("delivery.transaction-timeout");
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE && (checkpoints == null || checkpoints.isZero())) {
            throw new JobConfigException("checkpoint.interval must be set for delivery.guarantee exactly-once");
        }
        if (txTimeout == null || txTimeout.compareTo(checkpoints == null ? Duration.ZERO : checkpoints) <= 0) {
            throw new JobConfigException("delivery.transaction-timeout (" + txTimeout + ") must exceed"
                    + " checkpoint.interval (" + checkpoints + ")");
        }
        ObservationFormat format = ObservationFormat.valueOf(c.choice("input.format", "avro", "json", "avro-registry")
                .toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        RecordFormats formats = RecordFormats.of(c, format);
        BackendOptions backend;
        try {
            backend = BackendOptions.defaults().withKind(BackendKind.parse(c.choice("backend.kind", "auto", "java",
                    "opencl"))).withThreads(c.integer("backend.threads", 1, 1024))
                    .withAllowCpuOpenCl(c.bool("backend.allow-cpu-opencl"));
        } catch (IllegalArgumentException e) {
            throw new JobConfigException("backend: " + e.getMessage());
        }
        TimeOrderPolicy timeOrder = c.choice("order.time-going-back", "reject", "accept").equals("reject")
                ? TimeOrderPolicy.REJECT : TimeOrderPolicy.ACCEPT;
        DuplicatePolicy duplicates = c.choice("order.duplicates", "step", "reject").equals("step")
                ? DuplicatePolicy.STEP : DuplicatePolicy.REJECT;
        Duration eventTimeBound = c.duration("order.event-time-bound");
        Duration ttl = c.duration("state.ttl");
        org.apache.flink.configuration.Configuration stateSettings = StateBackendSettings.of(c);
        InputLimits limits = InputLimits.defaults()
                .withMaxRecordBytes(c.integer("input.max-record-bytes", 64, EIGHT_MIB))
                .withMaxKeyBytes(c.integer("input.max-key-bytes", 1, EIGHT_MIB))
                .withMaxValues(c.integer("input.max-values", 1, EIGHT_MIB))
                .withMaxEventTimeAhead(c.duration("order.max-event-time-ahead"));
        int batchSize = c.integer("batch.size", 1, 1_000_000);
        Duration maxLatency = c.duration("batch.max-latency");

        ModelArtifacts.Loaded model = ModelSource.load(modelUri);
        String modelId = c.string("model.id").isEmpty()
                ? new org.apache.flink.core.fs.Path(modelUri).getName().replaceFirst("\\.avro$", "")
                : c.string("model.id");
        String modelVersion = c.string("model.version").isEmpty() ? model.checksum.substring(0, 12)
                : c.string("model.version");
        RnnForecaster.Builder f = RnnForecaster.builder().model(model.model, modelId, modelVersion)
                .batchSize(batchSize).maxLatency(maxLatency == null ? Duration.ZERO : maxLatency).backend(backend)
                .timeOrder(timeOrder).duplicates(duplicates).stateTtl(ttl).limits(limits);
        if (eventTimeBound != null) {
            f.eventTimeOrder(eventTimeBound);
        }
        boolean scoring = anomalyScoring(c.choice("anomaly.scoring", "auto", "on", "off"), model.model);
        f.anomalyScoring(scoring).anomalyThreshold(c.decimal("anomaly.threshold", Double.MIN_VALUE, 1));
        double surprise = c.decimal("anomaly.surprise", 0, 1e30);
        String problem = StepperSettings.surpriseThresholdProblem(surprise);
        if (problem != null) {
            throw new JobConfigException("anomaly.surprise " + problem);
        }
        f.surpriseThreshold(surprise);
        f.anomalous(c.decimal("anomaly.anomalous.enter", Double.MIN_VALUE, 1e30),
                c.integer("anomaly.anomalous.clear-rows", 1, Integer.MAX_VALUE));
        double coverage = c.decimal("intervals.coverage", 0, 0.9999);
        f.intervals(model.model.targetsObserved() ? coverage : 0);
        f.adaptation(c.choice("adaptation", "off", "head").equals("head") ? Adaptation.HEAD : Adaptation.OFF);
        String updates = c.string("topics.model-updates");
        if (!updates.isEmpty()) {
            for (String other : new String[] {"topics.observations", "topics.forecasts", "topics.dead-letters"}) {
                if (updates.equals(c.string(other))) {
                    throw new JobConfigException("topics.model-updates must differ from " + other + ", both are '"
                            + updates + "'");
                }
            }
            f.modelUpdates(FlinkRnnKafka.modelUpdates(c.string("kafka.bootstrap-servers"), updates));
        }
        Duration granularity = c.duration("model-updates.granularity");
        if (granularity != null) {
            f.modelUpdateGranularity(granularity);
        }
        RnnForecaster forecaster;
        try {
            forecaster = f.build();
        } catch (IllegalArgumentException e) {
            throw new JobConfigException(e.getMessage());
        }
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        env.configure(stateSettings);
        if (checkpoints != null && !checkpoints.isZero()) {
            env.enableCheckpointing(checkpoints.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        KafkaForecastPipeline pipeline;
        try {
            pipeline = KafkaForecastPipeline.builder().bootstrapServers(c.string("kafka.bootstrap-servers"))
                    .observationsTopic(c.string("topics.observations")).forecastsTopic(c.string("topics.forecasts"))
                    .deadLettersTopic(c.string("topics.dead-letters")).groupId(c.string("kafka.group-id"))
                    .format(format).fieldMapping(formats.mapping()).registry(formats.registry())
                    .outputFormat(formats.output()).subjectStrategy(formats.subjects())
                    .deliveryGuarantee(guarantee).transactionTimeout(txTimeout).forecaster(forecaster)
                    .between(between).build();
        } catch (IllegalArgumentException e) {
            throw new JobConfigException(e.getMessage(), e);
        }
        pipeline.addTo(env);
        String name = c.string("job.name");
        LOG.info("model updates: {}", updates.isEmpty() ? "off" : "from topic " + updates);
        LOG.info("records: {}", formats.describe(format));
        LOG.info("anomaly scoring: {}", scoring ? "on, targets " + model.model.targets() : "off");
        LOG.info("flink-rnn job '{}': model {} ({}, version {}), settings {}", name, modelId, model.model.describe(),
                modelVersion, c.effective());
        return name;
    }
}
