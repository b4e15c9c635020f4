package io.flinkrnn.operators;

import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.operators.update.ModelUpdateFeed;
import io.flinkrnn.stepper.Adaptation;
import io.flinkrnn.stepper.AnomalyRules;
import io.flinkrnn.stepper.DuplicatePolicy;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeOrderPolicy;
import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The user's whole API: per-key LSTM/GRU forecasting of a {@code DataStream<Observation>}.
 *
 * <pre>{@code
 * RnnForecaster forecaster = RnnForecaster.builder()
 *     .model(model, "traffic", "3")
 *     .batchSize(512)
 *     .maxLatency(Duration.ofMillis(20))
 *     .backend(BackendOptions.defaults().withThreads(2))
 *     .build();
 * ForecastStreams out = forecaster.apply(observations);
 * out.forecasts().sinkTo(forecastSink);
 * out.deadLetters().sinkTo(deadLetterSink);
 * }</pre>
 *
 * Observations are keyed by {@code Observation.key} and stepped by {@link RnnStepOperator}, which keeps each
 * key's recurrent state in Flink keyed state; bad ones (checked as they arrive, or before watermarks are
 * assigned in event-time mode) go to dead letters.
 */
public final class RnnForecaster {
    private final ForecastModel model;
    private final ForecastSettings settings;

    private RnnForecaster(ForecastModel model, ForecastSettings settings) {
        this.model = model;
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ForecastSettings settings() {
        return settings;
    }

    /** How many values each observation must carry: the model's input features. */
    public int featureCount() {
        return model.featureCount();
    }

    public ForecastStreams apply(DataStream<Observation> observations) {
        DataStream<Observation> ordered = observations;
        DataStream<DeadLetter> rejectedEarly = null;
        if (settings.eventTimeBound() != null) {
            // Watermarks are computed from event times, so a corrupt time must be turned away before it can
            // move the watermark: validate first (same parallelism as the input, so the connection is forward
            // and a key's records keep their order), then assign watermarks.
            SingleOutputStreamOperator<Observation> valid = observations
                    .process(new ObservationValidator(model.featureCount(), settings.limits()),
                            new AvroTypeInfo<>(Observation.class))
                    .setParallelism(observations.getParallelism())
                    .name("flink-rnn validate").uid("flink-rnn-validate");
            rejectedEarly = valid.getSideOutput(DeadLetters.TAG);
            ordered = valid.assignTimestampsAndWatermarks(WatermarkStrategy
                    .<Observation>forBoundedOutOfOrderness(settings.eventTimeBound())
                    .withTimestampAssigner(new ObservationTimestamps()))
                    .setParallelism(valid.getParallelism()).name("flink-rnn watermarks").uid("flink-rnn-watermarks");
        }
        // In event-time order the validator has checked every record and the operator does not repeat it.
        // In arrival order the operator itself checks each record as it arrives; no operator runs before keyBy,
        // which saves a chained operator and the deep copy of every record Flink makes between chained
        // operators. ObservationKey sends keyless records to one partition, where they become dead letters.
        SingleOutputStreamOperator<Forecast> forecasts = ordered
                .keyBy(new ObservationKey())
                .transform("flink-rnn step " + settings.modelId(), new AvroTypeInfo<>(Forecast.class),
                        new RnnStepOperator(model, settings, rejectedEarly != null))
                .uid("flink-rnn-step");
        DataStream<DeadLetter> deadLetters = forecasts.getSideOutput(DeadLetters.TAG);
        if (rejectedEarly != null) {
            deadLetters = rejectedEarly.union(deadLetters);
        }
        return new ForecastStreams(forecasts, deadLetters);
    }

    /** Collects the settings; {@link #build()} checks them all and names every problem. */
    public static final class Builder {
        private ForecastModel model;
        private String modelId;
        private String modelVersion;
        private int batchSize = 256;
        private Duration maxLatency = Duration.ofMillis(50);
        private BackendOptions backend = BackendOptions.defaults();
        private TimeOrderPolicy timeOrder = TimeOrderPolicy.REJECT;
        private DuplicatePolicy duplicates = DuplicatePolicy.STEP;
        private Duration stateTtl;
        private Duration eventTimeBound;
        private boolean anomalyScoring;
        private double anomalyThreshold = StepperSettings.DEFAULT_THRESHOLD;
        private double surpriseThreshold = StepperSettings.DEFAULT_SURPRISE;
        private double anomalousEnter = AnomalyRules.DEFAULTS.enter();
        private int anomalousClearRows = AnomalyRules.DEFAULTS.clearRows();
        private double intervalCoverage;
        private Adaptation adaptation = Adaptation.OFF;
        private InputLimits limits = InputLimits.defaults();
        private ModelUpdateFeed modelUpdates;
        private Duration switchGranularity = Duration.ofSeconds(1);

        private Builder() {
        }

        /** The model to step, with the id and version written into every forecast. */
        public Builder model(ForecastModel model, String id, String version) {
            this.model = model;
            this.modelId = id;
            this.modelVersion = version;
            return this;
        }

        /** A bare network as a one-target model fed its own inputs ({@link ForecastModel#of}). */
        public Builder model(RnnModel network, String id, String version) {
            return model(network == null ? null : ForecastModel.of(network), id, version);
        }

        /** Records per bundle: the most keys stepped in one kernel call (default 256). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** How long a record may wait in a bundle before it is stepped anyway (default 50 ms; 0 = no timer). */
        public Builder maxLatency(Duration maxLatency) {
            this.maxLatency = maxLatency;
            return this;
        }

        public Builder backend(BackendOptions backend) {
            this.backend = backend;
            return this;
        }

        /** Events earlier than the key's last step: REJECT (default) to dead letters, or ACCEPT. */
        public Builder timeOrder(TimeOrderPolicy policy) {
            this.timeOrder = policy;
            return this;
        }

        /** Events at the key's last event time: STEP both (default), or REJECT the later one. */
        public Builder duplicates(DuplicatePolicy policy) {
            this.duplicates = policy;
            return this;
        }

        /** Forget keys idle this long (they restart from zero state); null (default) keeps them forever. */
        public Builder stateTtl(Duration ttl) {
            this.stateTtl = ttl;
            return this;
        }

        /**
         * Step each key in event-time order rather than arrival order: watermarks are generated with this
         * bounded out-of-orderness, records wait until the watermark passes them, and a record later than
         * that goes to dead letters with reason LATE. Costs keyed state and latency of up to the bound.
         */
        public Builder eventTimeOrder(Duration maxOutOfOrderness) {
            this.eventTimeBound = maxOutOfOrderness;
            return this;
        }

        /**
         * Score each observation against the key's previous one-step forecast (see the stepper's {@code
         * AnomalyScorer}); needs every target among the model's features. Forecasts then carry {@code
         * anomalyScore}; off (null scores) by default.
         */
        public Builder anomalyScoring(boolean on) {
            this.anomalyScoring = on;
            return this;
        }

        /** Forecasts whose anomaly score reaches this (in (0, 1], default 0.5) carry {@code flagged = true}. */
        public Builder anomalyThreshold(double threshold) {
            this.anomalyThreshold = threshold;
            return this;
        }

        /**
         * Forecasts whose surprise (a sudden change: the one-step error, or the last 3 rows' error against the
         * forecasts made before them, over the key's usual size) reaches this and the key's own 99.9 % quantile of
         * surprises carry {@code flagged = true} too, at once; default 4.5, 0 = only the anomaly score flags.
         */
        public Builder surpriseThreshold(double threshold) {
            this.surpriseThreshold = threshold;
            return this;
        }

        /**
         * Forecasts carry {@code anomalous = true} from a row where a target lies {@code enter} of the key's standard
         * deviations from its learned normal (default 4) until {@code clearRows} rows in a row stay under it (default
         * 40), and {@code anomalyCause} names the target furthest from normal; {@code signalScores} gives every
         * target's distance. A key's normal is learned only slowly while it is anomalous.
         */
        public Builder anomalous(double enter, int clearRows) {
            this.anomalousEnter = enter;
            this.anomalousClearRows = clearRows;
            return this;
        }

        /**
         * Forecast intervals from each key's own recent errors, aiming to hold {@code coverage} of outcomes (e.g.
         * 0.9); 0 (the default) = none. Needs every target among the model's features.
         */
        public Builder intervals(double coverage) {
            this.intervalCoverage = coverage;
            return this;
        }

        /** Per-key online adaptation: OFF (default) or HEAD (a per-key head correction by normalised LMS). */
        public Builder adaptation(Adaptation a) {
            this.adaptation = a;
            return this;
        }

        /**
         * What one record may be (default {@link InputLimits#defaults()}: 1 MiB, 1 KiB keys, 1,024 values, event
         * times at most 15 minutes ahead of the record's Kafka timestamp); records past them are dead letters.
         */
        public Builder limits(InputLimits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * Take new models while running, from {@code feed} (e.g. {@code FlinkRnnKafka.modelUpdates(servers,
         * topic)}, or with a secured cluster's client properties {@code modelUpdates(servers, topic,
         * KafkaClientProperties.of(properties))}); null (the default) = none. Each key switches at its first
         * observation at or after an update's effective time; see {@code ModelUpdates} for the rule and what it
         * needs from the publisher.
         */
        public Builder modelUpdates(ModelUpdateFeed feed) {
            this.modelUpdates = feed;
            return this;
        }

        /**
         * Updates switch keys from multiples of this in event time (default 1 s); the feed is read to its end at
         * most once per such period of the stream, so coarser costs less.
         */
        public Builder modelUpdateGranularity(Duration granularity) {
            this.switchGranularity = granularity;
            return this;
        }

        public RnnForecaster build() {
            List<String> problems = new ArrayList<>();
            if (model == null) {
                problems.add("model is not set: call model(model, id, version)");
            }
            AnomalyRules anomalous = AnomalyRules.DEFAULTS;
            try {
                anomalous = new AnomalyRules(anomalousEnter, anomalousClearRows);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            StepperSettings stepper = null;
            try {
                stepper = new StepperSettings(timeOrder, duplicates, anomalyScoring, anomalyThreshold,
                        intervalCoverage, adaptation, surpriseThreshold, anomalous);
                if (model != null) {
                    stepper.targetsProblem(model).ifPresent(problems::add);
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            problems.addAll(ForecastSettings.problems(modelId, modelVersion, batchSize,
                    maxLatency == null ? -1 : maxLatency.toMillis(), backend, stateTtl, eventTimeBound, limits,
                    switchGranularity));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid flink-rnn forecaster: " + String.join("; ", problems));
            }
            return new RnnForecaster(model, new ForecastSettings(modelId, modelVersion, batchSize,
                    maxLatency.toMillis(), backend, stepper, stateTtl, eventTimeBound, limits, modelUpdates,
                    switchGranularity));
        }
    }
}
