package io.flinkrnn.models.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What a Keras file holds, whatever its format: the model's configuration (JSON), the Keras version that
 * wrote it, and the HDF5 file of weights. A Keras 3 {@code .keras} file is a zip of {@code config.json},
 * {@code metadata.json} and {@code model.weights.h5} (read from memory); a legacy {@code .h5} keeps the
 * configuration and version as attributes of its root next to {@code model_weights}; a weights-only {@code .h5}
 * comes with the architecture JSON of {@code model.to_json()}.
 */
final class KerasFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final JsonNode config;
    final String kerasVersion;
    final HdfFile weights;
    /** Keras 3's layout ({@code layers/<name>/vars}) rather than legacy {@code [model_weights/]<name>/...}. */
    final boolean keras3Layout;

    private KerasFile(JsonNode config, String kerasVersion, HdfFile weights, boolean keras3Layout) {
        this.config = config;
        this.kerasVersion = kerasVersion;
        this.weights = weights;
        this.keras3Layout = keras3Layout;
    }

    /** A {@code .keras} zip or a full-model {@code .h5}, told apart by their first bytes. */
    static KerasFile open(byte[] bytes, String source) {
        if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K') {
            return openKeras3(bytes, source);
        }
        HdfFile h5 = hdf(bytes, source);
        String config = attribute(h5, "model_config");
        if (config == null) {
            h5.close();
            throw new KerasImportException(source + ": an HDF5 file without a model_config attribute: weights only?"
                    + " Give the architecture too (--keras ARCH.json --weights " + source + ")");
        }
        String version = attribute(h5, "keras_version");
        return new KerasFile(json(config, source), version == null ? "1" : version, h5, false);
    }

    /** The JSON of {@code model.to_json()} with a weights-only {@code .h5} ({@code save_weights}). */
    static KerasFile open(String architecture, byte[] weights, String source) {
        JsonNode config = json(architecture, source);
        HdfFile h5 = hdf(weights, source);
        String version = config.path("keras_version").asText(null);
        if (version == null) {
            version = attribute(h5, "keras_version");
        }
        boolean keras3 = h5.getChild("layers") != null && h5.getChild("model_weights") == null
                && attribute(h5, "layer_names") == null;
        return new KerasFile(config, version == null ? "2" : version, h5, keras3);
    }

    private static KerasFile openKeras3(byte[] bytes, String source) {
        byte[] config = null;
        byte[] metadata = null;
        byte[] weights = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                switch (e.getName()) {
                    case "config.json":
                        config = read(zip);
                        break;
                    case "metadata.json":
                        metadata = read(zip);
                        break;
                    case "model.weights.h5":
                        weights = read(zip);
                        break;
                    default:
                        // assets/ and the like: nothing an LSTM/GRU forecaster needs
                }
            }
        } catch (IOException e) {
            throw new KerasImportException(source + ": not a readable .keras zip: " + e.getMessage(), e);
        }
        if (config == null || weights == null) {
            throw new KerasImportException(source + ": a .keras file needs config.json and model.weights.h5; found "
                    + (config == null ? "no config.json" : "no model.weights.h5"));
        }
        String version = metadata == null ? "3" : json(new String(metadata, java.nio.charset.StandardCharsets.UTF_8),
                source + " metadata.json").path("keras_version").asText("3");
        return new KerasFile(json(new String(config, java.nio.charset.StandardCharsets.UTF_8), source), version,
                hdf(weights, source + " model.weights.h5"), true);
    }

    /** The major version of the Keras that wrote the file: 1, 2 (also tf.keras) or 3. */
    int majorVersion() {
        try {
            return Integer.parseInt(kerasVersion.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 2;
        }
    }

    @Override
    public void close() {
        weights.close();
    }

    private static byte[] read(ZipInputStream zip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        zip.transferTo(out);
        return out.toByteArray();
    }

    private static HdfFile hdf(byte[] bytes, String source) {
        try {
            return HdfFile.fromBytes(bytes);
        } catch (RuntimeException e) {
            throw new KerasImportException(source + ": not a readable HDF5 file: " + e.getMessage(), e);
        }
    }

    static String attribute(io.jhdf.api.Node node, String name) {
        Attribute a = node.getAttribute(name);
        if (a == null) {
            return null;
        }
        Object v = a.getData();
        return v == null ? null : v instanceof byte[] ? new String((byte[]) v, java.nio.charset.StandardCharsets.UTF_8)
                : v.toString();
    }

    private static JsonNode json(String text, String source) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new KerasImportException(source + ": the model configuration is not JSON: " + e.getMessage(), e);
        }
    }
}
