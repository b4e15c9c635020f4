package io.flinkrnn.stepper;

/** What to do with an observation whose event time equals its key's last step. */
public enum DuplicatePolicy {
    /** Step both, in arrival order: right for sources that may emit several values per timestamp. */
    STEP,
    /** Send the later one to dead letters with reason DUPLICATE_EVENT_TIME: right for at-least-once feeds. */
    REJECT
}
