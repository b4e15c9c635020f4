package io.flinkrnn.models.onnx;

/** An ONNX file this importer cannot run exactly; the message names the node or tensor and the reason. */
public class OnnxImportException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
