package io.flinkrnn.cli;

/** The command line is wrong; the message says which option and why, and the CLI exits with status 2. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
