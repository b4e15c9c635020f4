package io.flinkrnn.cli.demo;

import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.cli.kafka.ModelUpdatePublisher;
import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.schemas.ModelUpdate;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code demo --swap-after N}: publishes the second model as version 2 after N events, effective just after
 * the latest event time sent so far, while the producer waits, so the update is in the control topic before
 * any observation it applies to (the precondition of the switch rule); then reports where each key switched.
 */
public final class DemoSwap {
    /** The model id the demo's job runs and its update names. */
    public static final String MODEL_ID = "demo";

    private final String bootstrap;
    private final Path model;
    private final long after;
    private final PrintStream out;
    private volatile Instant effective;

    public DemoSwap(String bootstrap, Path model, long after, PrintStream out) {
        this.bootstrap = bootstrap;
        this.model = model;
        this.after = after;
        this.out = out;
    }

    /** Events to send before publishing. */
    public long after() {
        return after;
    }

    /** Publishes version 2, effective 1 ms after {@code latestSent}, and waits for the broker's acknowledgement. */
    public void publish(long latestSent) {
        try {
            Instant from = Instant.ofEpochMilli(latestSent + 1);
            ModelUpdate u = ModelUpdatePublisher.update(Files.readAllBytes(model), MODEL_ID, 2, from, null,
                    ModelStatePolicy.KEEP);
            long offset = ModelUpdatePublisher.publish(bootstrap, DemoRun.MODEL_UPDATES, u);
            effective = from;
            out.println("demo: published model version 2 (sha256 " + u.getSha256().substring(0, 12) + "...) to "
                    + DemoRun.MODEL_UPDATES + " at offset " + offset + " after " + after + " events: each key switches"
                    + " at its first row at or after " + from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("demo: publishing model version 2 failed: " + e.getMessage(), e);
        }
    }

    /** For the progress line. */
    public String progress(ForecastTracker tracker) {
        if (effective == null) {
            return "model v1 (v2 after " + after + " events)";
        }
        return "model v2 on " + switchedKeys(tracker) + " keys";
    }

    private static int switchedKeys(ForecastTracker tracker) {
        int n = 0;
        for (int k = 0; tracker.hasKey(k); k++) {
            n += tracker.firstRowOf("2", k) >= 0 ? 1 : 0;
        }
        return n;
    }

    /** For the summary and the report. */
    public String summary(ForecastTracker tracker, DemoSeries series) {
        if (effective == null) {
            return "model version 2 was never published: the stream ended before " + after + " events";
        }
        return "model version 2 published after " + after + " events, effective from " + effective + "; "
                + switchedKeys(tracker) + " of " + series.keys.size() + " keys switched (column 'v2 from row');"
                + " forecasts by version " + tracker.forecastsByVersion();
    }
}
