package io.flinkrnn.kernels;

/** A backend could not start, or a device call failed at run time. */
public class BackendFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendFailureException(String message) {
        super(message);
    }

    public BackendFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
