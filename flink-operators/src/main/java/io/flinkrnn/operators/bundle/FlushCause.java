package io.flinkrnn.operators.bundle;

/** Why a bundle was stepped: reported per cause as a metric, so users can tune size and latency. */
public enum FlushCause {
    /** The bundle reached {@code batch.size} records. */
    SIZE,
    /** The oldest buffered record waited {@code batch.max-latency}. */
    LATENCY,
    /** A watermark arrived: forecasts before it must not be held back behind it. */
    WATERMARK,
    /** A checkpoint barrier is about to pass: a checkpoint never holds half a bundle. */
    BARRIER,
    /** The input ended. */
    END_OF_INPUT
}
