package io.flinkrnn.stepper;

/** Whether and how each key adapts the shared model to its own series while it streams. */
public enum Adaptation {
    /** The model as trained (the guard, a model rule, still applies). */
    OFF,
    /** A per-key correction of the head learned by normalised LMS ({@code HeadAdaptation}). */
    HEAD
}
