package io.flinkrnn.operators.kafka.registry;

/**
 * The registry could not be used, and no record is to blame: it did not answer (or answered 5xx) for longer
 * than {@code registry.retry.timeout}, or refused in a way retrying cannot fix (bad credentials, a 404 that is
 * not the registry's, an incompatible schema). Thrown out of the source or sink, it fails the task, so Flink
 * restarts the job from its last checkpoint: the record that needed the registry is read again, never turned
 * into a dead letter.
 */
public final class RegistryFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
