package io.flinkrnn.models.keras;

/** A Keras model this importer cannot run exactly; the message names the file, the layer and the reason. */
public class KerasImportException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public KerasImportException(String message) {
        super(message);
    }

    public KerasImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
