package io.flinkrnn.stepper;

/** How a model puts raw values on the scale its network was trained on. */
public enum Scaling {
    /** One z-score for every key: the mean and std of the training rows, carried in the network. */
    GLOBAL,
    /**
     * Each key by its own running mean and variance, kept in the key's state and updated at every step
     * ({@link RowTransform}): keys whose levels differ by orders of magnitude all reach the network on one
     * scale.
     */
    PER_KEY
}
