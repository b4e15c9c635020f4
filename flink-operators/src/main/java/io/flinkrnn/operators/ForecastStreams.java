package io.flinkrnn.operators;

import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.Forecast;
import org.apache.flink.streaming.api.datastream.DataStream;

/** What {@link RnnForecaster#apply} returns: the forecasts, and every record that could not be used. */
public final class ForecastStreams {
    private final DataStream<Forecast> forecasts;
    private final DataStream<DeadLetter> deadLetters;

    ForecastStreams(DataStream<Forecast> forecasts, DataStream<DeadLetter> deadLetters) {
        this.forecasts = forecasts;
        this.deadLetters = deadLetters;
    }

    /** One forecast per good observation. */
    public DataStream<Forecast> forecasts() {
        return forecasts;
    }

    /** Bad records with their reason, from validation and from the operator. */
    public DataStream<DeadLetter> deadLetters() {
        return deadLetters;
    }
}
