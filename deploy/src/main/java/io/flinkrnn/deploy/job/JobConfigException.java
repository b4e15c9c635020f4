package io.flinkrnn.deploy.job;

/** A setting of the job is missing, unknown or has a value that cannot work; the message names it. */
public final class JobConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobConfigException(String message) {
        super(message);
    }

    public JobConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
