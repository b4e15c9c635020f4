package io.flinkrnn.models.train;

/** Progress of a training run, for progress bars and logs. Called on the training thread. */
public interface TrainingListener {
    /**
     * After each optimizer step; {@code loss} is the batch's mean squared error (normalised scale), {@code
     * samplesPerSecond} the windows through forward, backward and the optimizer per second of that work so far.
     */
    default void batchDone(int epoch, int epochs, int batch, int batches, double loss, double samplesPerSecond,
            long elapsedNanos) {
    }

    /** After each epoch's evaluation. */
    default void epochDone(TrainingReport.Epoch epoch, int epochs) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
