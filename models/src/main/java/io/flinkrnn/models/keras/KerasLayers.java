package io.flinkrnn.models.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The layers of a Keras model's configuration, in order, as one linear chain: a Sequential model's list (Keras
 * 2.1 writes it bare, later versions under {@code layers}), or a Functional model whose every layer takes
 * exactly the previous one's output. Anything else (several inputs or outputs, branches) is refused with
 * the layer named.
 */
final class KerasLayers {
    /** One layer: its class ({@code LSTM}, {@code Dense}, ...), its name and its configuration. */
    record Layer(String className, String name, JsonNode config) {
    }

    private KerasLayers() {
    }

    static List<Layer> of(JsonNode model, String source) {
        String cls = model.path("class_name").asText("");
        JsonNode cfg = model.path("config");
        JsonNode list = cfg.isArray() ? cfg : cfg.path("layers");
        if (!list.isArray() || list.isEmpty()) {
            throw new KerasImportException(source + ": the model configuration lists no layers (class " + cls + ")");
        }
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : list) {
            JsonNode c = l.path("config");
            layers.add(new Layer(l.path("class_name").asText(""), c.path("name").asText(l.path("name").asText("")),
                    c));
        }
        if (cls.equals("Sequential")) {
            return layers;
        }
        if (!cls.equals("Model") && !cls.equals("Functional")) {
            throw new KerasImportException(source + ": a " + cls + " model; only Sequential models and Functional"
                    + " models that are a single chain import");
        }
        List<String> inputs = new ArrayList<>();
        for (Layer l : layers) {
            if (l.className.equals("InputLayer")) {
                inputs.add(l.name);
            }
        }
        if (inputs.size() != 1) {
            throw new KerasImportException(source + ": the model has " + inputs.size() + " inputs " + inputs + ";"
                    + " only a single input (the observation's values) can be fed from a stream (an initial-state"
                    + " input, for one, has no place in a per-key step)");
        }
        int outputs = cfg.path("output_layers").size();
        if (outputs > 1) {
            throw new KerasImportException(source + ": the model has " + outputs + " outputs; only one imports");
        }
        for (int i = 1; i < list.size(); i++) {
            Set<String> from = inbound(list.get(i).path("inbound_nodes"));
            if (!from.equals(Set.of(layers.get(i - 1).name))) {
                throw new KerasImportException(source + ": layer '" + layers.get(i).name + "' takes " + from
                        + ", not just the layer before it ('" + layers.get(i - 1).name + "'): only a single chain of"
                        + " layers imports");
            }
        }
        return layers;
    }

    /** The names of the layers feeding a layer: Keras 2's [[["name", 0, 0, {}]]] or Keras 3's keras_history. */
    private static Set<String> inbound(JsonNode nodes) {
        Set<String> names = new LinkedHashSet<>();
        collect(nodes, names);
        return names;
    }

    private static void collect(JsonNode n, Set<String> names) {
        if (n.isObject()) {
            JsonNode history = n.path("config").path("keras_history");
            if (history.isArray() && history.size() > 0) {
                names.add(history.get(0).asText());
                return;
            }
            n.forEach(c -> collect(c, names));
        } else if (n.isArray()) {
            if (n.size() >= 3 && n.get(0).isTextual() && n.get(1).isInt()) {
                names.add(n.get(0).asText());
                return;
            }
            n.forEach(c -> collect(c, names));
        }
    }
}
