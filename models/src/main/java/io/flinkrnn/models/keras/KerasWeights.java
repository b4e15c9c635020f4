package io.flinkrnn.models.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A layer's weight arrays out of the HDF5 file, by role ({@code kernel}, {@code recurrent_kernel}, {@code bias};
 * Keras 1's per-gate arrays as {@code kernel_i}, {@code recurrent_kernel_f}, {@code bias_o}, ...), found the
 * way each writer names them rather than by fixed paths: legacy files list each layer's datasets in its
 * {@code weight_names} attribute; Keras 3 files keep a layer's variables, in order, under the group whose {@code
 * vars} carry the layer's name (a recurrent layer's under {@code cell/vars}).
 */
final class KerasWeights {
    private static final Pattern KERAS1 = Pattern.compile("_([WUb])(?:_([a-z]))?(?::\\d+)?$");

    /** One array: its values row-major and its shape. */
    record Array(float[] values, int[] shape) {
        int rows() {
            return shape.length == 1 ? 1 : shape[0];
        }

        int cols() {
            return shape[shape.length - 1];
        }
    }

    private final KerasFile file;
    private final String source;

    KerasWeights(KerasFile file, String source) {
        this.file = file;
        this.source = source;
    }

    /** The layer's arrays by role; empty for a layer without weights. */
    Map<String, Array> of(String layer, boolean recurrent) {
        return file.keras3Layout ? keras3(layer, recurrent) : legacy(layer);
    }

    private Map<String, Array> legacy(String layer) {
        Node root = file.weights.getChild("model_weights") != null ? file.weights.getChild("model_weights")
                : file.weights;
        Node g = ((Group) root).getChild(layer);
        if (!(g instanceof Group)) {
            throw new KerasImportException(source + ": no weights for layer '" + layer + "' (groups: "
                    + ((Group) root).getChildren().keySet() + ")");
        }
        Object names = g.getAttribute("weight_names") == null ? null : g.getAttribute("weight_names").getData();
        Map<String, Array> out = new LinkedHashMap<>();
        if (names == null) {
            return out;
        }
        for (Object n : (Object[]) names) {
            String name = n.toString();
            Node d = ((Group) g).getByPath(name);
            if (!(d instanceof Dataset)) {
                throw new KerasImportException(source + ": layer '" + layer + "' names weight " + name
                        + ", which is not in the file");
            }
            out.put(role(name, layer), array((Dataset) d));
        }
        return out;
    }

    /** kernel, recurrent_kernel or bias (Keras 2 and 3 names), or Keras 1's W/U/b with the gate letter. */
    private String role(String name, String layer) {
        String last = name.substring(name.lastIndexOf('/') + 1).replaceFirst(":\\d+$", "");
        if (last.equals("kernel") || last.equals("recurrent_kernel") || last.equals("bias")) {
            return last;
        }
        Matcher m = KERAS1.matcher(name);
        if (m.find()) {
            String r = m.group(1).equals("W") ? "kernel" : m.group(1).equals("U") ? "recurrent_kernel" : "bias";
            return m.group(2) == null ? r : r + "_" + m.group(2);
        }
        throw new KerasImportException(source + ": layer '" + layer + "' has a weight " + name + " of no known role");
    }

    private Map<String, Array> keras3(String layer, boolean recurrent) {
        Group layers = (Group) file.weights.getChild("layers");
        if (layers == null) {
            throw new KerasImportException(source + ": the weights file has no 'layers' group (a Keras 3 file?)");
        }
        for (Node g : layers.getChildren().values()) {
            if (!(g instanceof Group) || !(((Group) g).getChild("vars") instanceof Group)) {
                continue;
            }
            if (!layer.equals(KerasFile.attribute(((Group) g).getChild("vars"), "name"))) {
                continue;
            }
            Group vars = (Group) (recurrent ? ((Group) g).getByPath("cell/vars") : ((Group) g).getChild("vars"));
            String[] roles = recurrent ? new String[] {"kernel", "recurrent_kernel", "bias"}
                    : new String[] {"kernel", "bias"};
            Map<String, Array> out = new LinkedHashMap<>();
            for (int i = 0; i < roles.length; i++) {
                Node d = vars.getChild(Integer.toString(i));
                if (d instanceof Dataset) {
                    out.put(roles[i], array((Dataset) d));
                }
            }
            return out;
        }
        throw new KerasImportException(source + ": no weights for layer '" + layer + "' under layers/");
    }

    private Array array(Dataset d) {
        Object flat = d.getDataFlat();
        if (!(flat instanceof float[])) {
            throw new KerasImportException(source + ": weight " + d.getPath() + " holds " + d.getJavaType()
                    + ", not float32");
        }
        int[] shape = d.getDimensions();
        return new Array((float[]) flat, shape.length == 0 ? new int[] {1} : Arrays.copyOf(shape, shape.length));
    }
}
