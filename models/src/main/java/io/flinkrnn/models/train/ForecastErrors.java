package io.flinkrnn.models.train;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Locale;

/** Mean squared and mean absolute error over every (origin, horizon step, target) term of a split. */
@JsonPropertyOrder({"mse", "mae", "terms"})
public final class ForecastErrors {
    public final double mse;
    public final double mae;
    public final long terms;

    ForecastErrors(double sse, double sae, long terms) {
        this.mse = terms == 0 ? Double.NaN : sse / terms;
        this.mae = terms == 0 ? Double.NaN : sae / terms;
        this.terms = terms;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "mse=%.5f mae=%.5f (%d terms)", mse, mae, terms);
    }
}
