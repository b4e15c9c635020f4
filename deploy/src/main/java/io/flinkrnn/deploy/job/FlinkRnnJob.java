package io.flinkrnn.deploy.job;

import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.operators.ForecastSettings;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.operators.kafka.FlinkRnnKafka;
import io.flinkrnn.operators.kafka.KafkaClientProperties;
import io.flinkrnn.operators.kafka.KafkaForecastPipeline;
import io.flinkrnn.operators.kafka.ObservationFormat;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.AnomalyRules;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import io.flinkrnn.operators.InputLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flink-rnn streaming job: Kafka observations in, per-key LSTM/GRU stepping in keyed state, forecasts and
 * dead letters out. The main class of the job jar ({@code flink run}) and of {@code flink-rnn job}. All
 * settings come from {@link JobConfig}; a bad setting or model fails before the job is submitted. Each value's
 * rule is its owner's ({@link StepperSettings}, {@link AnomalyRules}, {@link ForecastSettings}); this class checks
 * only what relates settings to each other.
 */
public final class FlinkRnnJob {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkRnnJob.class);
    private static final int EIGHT_MIB = 8 << 20;

    private FlinkRnnJob() {
    }

    public static void main(String[] args) throws Exception {
        if (JobArguments.parse(args).help()) {
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
            throw new JobConfigException(AnomalyOptions.SCORING.key() + " " + e.getMessage());
        }
    }

    /**
     * Checks every setting, loads the model and adds the pipeline to {@code env}; returns the job name.
     * {@code between} may wrap the decoded observations (the demo counts them, tests inject faults).
     */
    public static String build(StreamExecutionEnvironment env, JobConfig c,
            UnaryOperator<DataStream<Observation>> between) {
        String modelUri = c.get(ModelOptions.URI);
        int parallelism = c.get(JobOptions.PARALLELISM, JobConfig.range(0, 100_000));
        Duration checkpoints = c.optional(StateOptions.CHECKPOINT_INTERVAL).orElse(Duration.ZERO);
        KafkaOptions.Delivery delivery = c.get(KafkaOptions.DELIVERY_GUARANTEE);
        Duration txTimeout = c.optional(KafkaOptions.TRANSACTION_TIMEOUT).orElse(null);
        if (delivery == KafkaOptions.Delivery.EXACTLY_ONCE && checkpoints.isZero()) {
            throw new JobConfigException("checkpoint.interval must be set for delivery.guarantee exactly-once");
        }
        if (txTimeout == null || txTimeout.compareTo(checkpoints) <= 0) {
            throw new JobConfigException("delivery.transaction-timeout (" + txTimeout + ") must exceed"
                    + " checkpoint.interval (" + checkpoints + ")");
        }
        ObservationFormat format = c.get(KafkaOptions.INPUT_FORMAT);
        RecordFormats formats = RecordFormats.of(c, format);
        BackendOptions backend = BackendOptions.defaults().withKind(c.get(StepOptions.BACKEND_KIND))
                .withThreads(c.get(StepOptions.BACKEND_THREADS, JobConfig.range(1, 1024)))
                .withAllowCpuOpenCl(c.get(StepOptions.ALLOW_CPU_OPENCL));
        org.apache.flink.configuration.Configuration stateSettings = StateBackendSettings.of(c);
        InputLimits limits = InputLimits.defaults()
                .withMaxRecordBytes(bytes(c, InputOptions.MAX_RECORD_BYTES, 64))
                .withMaxKeyBytes(bytes(c, InputOptions.MAX_KEY_BYTES, 1))
                .withMaxValues(c.get(InputOptions.MAX_VALUES, JobConfig.range(1, EIGHT_MIB)))
                .withMaxEventTimeAhead(c.optional(InputOptions.MAX_EVENT_TIME_AHEAD).orElse(null));
        int batchSize = c.get(StepOptions.BATCH_SIZE, JobConfig.range(1, ForecastSettings.MAX_BATCH_SIZE));
        Duration maxLatency = c.optional(StepOptions.BATCH_MAX_LATENCY).orElse(Duration.ZERO);
        Duration eventTimeBound = c.optional(InputOptions.EVENT_TIME_BOUND).orElse(null);
        double threshold = c.get(AnomalyOptions.THRESHOLD, StepperSettings::flagThresholdProblem);
        double surprise = c.get(AnomalyOptions.SURPRISE, StepperSettings::surpriseThresholdProblem);
        double enter = c.get(AnomalyOptions.ANOMALOUS_ENTER, AnomalyRules::enterProblem);
        int clearRows = c.get(AnomalyOptions.ANOMALOUS_CLEAR_ROWS, n -> AnomalyRules.clearRowsProblem(n));
        double coverage = c.get(ForecastOptions.INTERVALS_COVERAGE, StepperSettings::coverageProblem);
        String updates = c.get(ModelOptions.UPDATES_TOPIC);
        if (!updates.isEmpty()) {
            for (ConfigOption<String> other : List.of(KafkaOptions.OBSERVATIONS_TOPIC, KafkaOptions.FORECASTS_TOPIC,
                    KafkaOptions.DEAD_LETTERS_TOPIC)) {
                if (updates.equals(c.get(other))) {
                    throw new JobConfigException("topics.model-updates must differ from " + other.key()
                            + ", both are '" + updates + "'");
                }
            }
        }

        ModelArtifacts.Loaded model = ModelSource.load(modelUri);
        String modelId = c.get(ModelOptions.ID).isEmpty()
                ? new org.apache.flink.core.fs.Path(modelUri).getName().replaceFirst("\\.avro$", "")
                : c.get(ModelOptions.ID);
        String modelVersion = c.get(ModelOptions.VERSION).isEmpty() ? model.checksum.substring(0, 12)
                : c.get(ModelOptions.VERSION);
        boolean scoring = anomalyScoring(c.get(AnomalyOptions.SCORING).toString(), model.model);
        RnnForecaster.Builder f = RnnForecaster.builder().model(model.model, modelId, modelVersion)
                .batchSize(batchSize).maxLatency(maxLatency).backend(backend)
                .timeOrder(c.get(InputOptions.TIME_GOING_BACK)).duplicates(c.get(InputOptions.DUPLICATES))
                .stateTtl(c.optional(StateOptions.TTL).orElse(null)).limits(limits)
                .anomalyScoring(scoring).anomalyThreshold(threshold).surpriseThreshold(surprise)
                .anomalous(enter, clearRows)
                // intervals by default wherever the model allows them: off, without a word, where it does not
                .intervals(model.model.targetsObserved() ? coverage : 0)
                .adaptation(c.get(ForecastOptions.ADAPTATION))
                .modelUpdateGranularity(c.optional(ModelOptions.UPDATES_GRANULARITY)
                        .orElse(ModelOptions.UPDATES_GRANULARITY.defaultValue()));
        if (eventTimeBound != null) {
            f.eventTimeOrder(eventTimeBound);
        }
        Map<String, String> kafkaClient = c.kafkaClientProperties();
        if (!updates.isEmpty()) {
            f.modelUpdates(FlinkRnnKafka.modelUpdates(c.get(KafkaOptions.BOOTSTRAP_SERVERS), updates,
                    KafkaClientProperties.of(kafkaClient)));
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
        // Records pass between chained operators by reference, not as deep Avro copies (a tenth of the job's time
        // in the end-to-end benchmark). Safe here: no operator of the job changes a record it is given or emits
        // one twice, and the one that keeps records (the step's bundle) sits after keyBy, whose records are new.
        env.getConfig().enableObjectReuse();
        if (!checkpoints.isZero()) {
            env.enableCheckpointing(checkpoints.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        KafkaForecastPipeline pipeline;
        try {
            pipeline = KafkaForecastPipeline.builder().bootstrapServers(c.get(KafkaOptions.BOOTSTRAP_SERVERS))
                    .observationsTopic(c.get(KafkaOptions.OBSERVATIONS_TOPIC))
                    .forecastsTopic(c.get(KafkaOptions.FORECASTS_TOPIC))
                    .deadLettersTopic(c.get(KafkaOptions.DEAD_LETTERS_TOPIC)).groupId(c.get(KafkaOptions.GROUP_ID))
                    .format(format).fieldMapping(formats.mapping()).registry(formats.registry())
                    .outputFormat(formats.output()).subjectStrategy(formats.subjects())
                    .deliveryGuarantee(delivery.guarantee).transactionTimeout(txTimeout).forecaster(forecaster)
                    .clientProperties(kafkaClient).between(between).build();
        } catch (IllegalArgumentException e) {
            throw new JobConfigException(e.getMessage(), e);
        }
        pipeline.addTo(env);
        String name = c.get(JobOptions.NAME);
        LOG.info("model updates: {}", updates.isEmpty() ? "off" : "from topic " + updates);
        LOG.info("records: {}", formats.describe(format));
        LOG.info("anomaly scoring: {}", scoring ? "on, targets " + model.model.targets() : "off");
        LOG.info("flink-rnn job '{}': model {} ({}, version {}), settings {}", name, modelId, model.model.describe(),
                modelVersion, c.effective());
        return name;
    }

    /** A record size in bytes, from {@code min} to 8 MiB. */
    private static int bytes(JobConfig c, ConfigOption<MemorySize> option, int min) {
        return (int) c.get(option, size -> size.getBytes() >= min && size.getBytes() <= EIGHT_MIB ? null
                : "must be from " + min + " bytes to 8 mb, got " + size.toHumanReadableString()).getBytes();
    }
}
