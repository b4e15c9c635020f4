package io.flinkrnn.kernels.model;

/** A model's sizes or weights are unusable; the message names the tensor and what is wrong with it. */
public class ModelValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelValidationException(String message) {
        super(message);
    }

    public ModelValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
