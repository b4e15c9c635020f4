package io.flinkrnn.operators.kafka;

import io.flinkrnn.operators.DeadLetters;
import io.flinkrnn.operators.ForecastStreams;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.schemas.Observation;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Kafka in, Kafka out: observations topic → decode → per-key checks and stepping → forecasts topic, with
 * every bad record in the dead-letter topic. Operator uids are fixed, so savepoints survive job upgrades
 * and rescaling.
 */
public final class KafkaForecastPipeline {
    private KafkaForecastPipeline() {
    }

    /** Where to read and write, and how. */
    public static final class Topics {
        final String bootstrapServers;
        final String observations;
        final String forecasts;
        final String deadLetters;
        final String groupId;
        final ObservationFormat format;
        final DeliveryGuarantee guarantee;
        final Duration transactionTimeout;
        final boolean bounded;

        public Topics(String bootstrapServers, String observations, String forecasts, String deadLetters,
                String groupId, ObservationFormat format, DeliveryGuarantee guarantee, Duration transactionTimeout,
                boolean bounded) {
            this.bootstrapServers = bootstrapServers;
            this.observations = observations;
            this.forecasts = forecasts;
            this.deadLetters = deadLetters;
            this.groupId = groupId;
            this.format = format;
            this.guarantee = guarantee;
            this.transactionTimeout = transactionTimeout;
            this.bounded = bounded;
        }
    }

    /** Adds the pipeline to {@code env}; {@code between} may wrap the decoded stream (tests inject faults). */
    public static void build(StreamExecutionEnvironment env, Topics t, RnnForecaster forecaster,
            UnaryOperator<DataStream<Observation>> between) {
        DataStream<SourceRecord> raw = env.fromSource(
                FlinkRnnKafka.observationSource(t.bootstrapServers, t.observations, t.groupId, t.format,
                        OffsetsInitializer.committedOffsets(
                                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST), t.bounded),
                WatermarkStrategy.noWatermarks(), "observations " + t.observations).uid("flink-rnn-source");
        SingleOutputStreamOperator<Observation> decoded = FlinkRnnKafka.decoded(raw);
        ForecastStreams out = forecaster.apply(between.apply(decoded));
        out.forecasts().sinkTo(FlinkRnnKafka.forecastSink(t.bootstrapServers, t.forecasts, t.guarantee,
                t.groupId + "-forecasts", t.transactionTimeout)).name("forecasts " + t.forecasts)
                .uid("flink-rnn-forecast-sink");
        out.deadLetters().union(decoded.getSideOutput(DeadLetters.TAG))
                .sinkTo(FlinkRnnKafka.deadLetterSink(t.bootstrapServers, t.deadLetters, t.guarantee,
                        t.groupId + "-dead-letters", t.transactionTimeout))
                .name("dead letters " + t.deadLetters).uid("flink-rnn-dead-letter-sink");
    }
}
