package io.flinkrnn.stepper;

/** What to do with an observation whose event time is earlier than its key's last step. */
public enum TimeOrderPolicy {
    /** Send it to dead letters with reason TIME_WENT_BACKWARDS; the key's state is untouched. */
    REJECT,
    /** Step it anyway, in arrival order (the key's last event time moves back). */
    ACCEPT
}
