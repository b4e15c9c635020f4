package io.flinkrnn.models.train;

/** Progress of a training run, for progress bars and logs. Called on the training thread. */
public interface TrainingListener {
    /** After each optimizer step; {@code loss} is the batch's mean squared error (normalised scale). */
    default void batchDone(int epoch, int epochs, int batch, int batches, double loss, long elapsedNanos) {
    }

    /** After each epoch's evaluation. */
    default void epochDone(TrainingReport.Epoch epoch, int epochs) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
