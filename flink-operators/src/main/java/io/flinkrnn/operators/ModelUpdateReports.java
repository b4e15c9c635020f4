package io.flinkrnn.operators;

import io.flinkrnn.operators.update.AcceptedModel;
import io.flinkrnn.operators.update.ModelUpdateFeed;
import io.flinkrnn.operators.update.ModelUpdates;
import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.DeadLetterReason;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one operator instance says what became of each model update: a log line and a metric for each, and a
 * dead letter ({@code MODEL_UPDATE_REFUSED}, naming the instance) for each refusal.
 */
final class ModelUpdateReports implements ModelUpdates.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ModelUpdateReports.class);

    private final String instance;
    private final ModelUpdateMetrics metrics;
    private final Consumer<DeadLetter> deadLetters;
    private final LongSupplier now;

    ModelUpdateReports(String instance, ModelUpdateMetrics metrics, Consumer<DeadLetter> deadLetters,
            LongSupplier now) {
        this.instance = instance;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.now = now;
    }

    @Override
    public void accepted(AcceptedModel m, boolean late) {
        metrics.accepted(late);
        if (late) {
            LOG.warn("{}: accepted model update {} late: this instance already stepped rows at or after its switch"
                    + " time, so where keys switch depends on arrival (publish updates before the stream reaches"
                    + " their effective time)", instance, m);
        } else {
            LOG.info("{}: accepted model update {}", instance, m);
        }
    }

    @Override
    public void refused(ModelUpdateFeed.Record r, String message) {
        metrics.refused();
        LOG.warn("{}: refused {}", instance, message);
        deadLetters.accept(DeadLetters.ofControlRecord(DeadLetterReason.MODEL_UPDATE_REFUSED, instance + ": "
                + message, r, now.getAsLong()));
    }
}
