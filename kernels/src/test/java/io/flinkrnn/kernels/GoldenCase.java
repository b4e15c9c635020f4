package io.flinkrnn.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One PyTorch golden case (see ../shared/golden/README.md): model, inputs, expected outputs. */
public final class GoldenCase {
    public final String name;
    public final RnnModel model;
    public final int batch;
    public final int steps;
    /** [B][T][F] */
    public final float[] x;
    /** [B][stateSize] in the kernels' per-key layout, from initial_h/initial_c or zeros. */
    public final float[] initialStates;
    /** [B][T][outputSize] */
    public final float[] expectedForecast;
    /** [B][T][H] */
    public final float[] expectedHiddenSeq;
    /** [L][B][H] */
    public final float[] expectedFinalH;
    /** [L][B][H], null for GRU */
    public final float[] expectedFinalC;

    private GoldenCase(String name, JsonNode root) {
        this.name = name;
        CellType cell = CellType.parse(root.get("cell").asText());
        int f = root.get("input_size").asInt();
        int h = root.get("hidden_size").asInt();
        int layers = root.get("num_layers").asInt();
        int outputs = root.get("horizon").asInt(); // the golden files' name for the head's output count
        this.batch = root.get("batch").asInt();
        this.steps = root.get("steps").asInt();
        JsonNode p = root.get("params");
        RnnModel.Builder b = RnnModel.builder().cell(cell).gruResetMode(GruResetMode.AFTER_PRODUCT).inputSize(f)
                .hiddenSize(h).outputSize(outputs);
        for (int l = 0; l < layers; l++) {
            b.addLayer(flat(p.get("rnn.weight_ih_l" + l)), flat(p.get("rnn.weight_hh_l" + l)),
                    flat(p.get("rnn.bias_ih_l" + l)), flat(p.get("rnn.bias_hh_l" + l)));
        }
        this.model = b.head(flat(p.get("head.weight")), flat(p.get("head.bias"))).build();
        this.x = flat(root.get("x"));
        this.expectedForecast = flat(root.get("expected_forecast"));
        this.expectedHiddenSeq = flat(root.get("expected_hidden_seq"));
        this.expectedFinalH = flat(root.get("expected_final_h"));
        this.expectedFinalC = root.get("expected_final_c").isNull() ? null : flat(root.get("expected_final_c"));
        this.initialStates = new float[batch * model.stateSize()];
        scatter(root.get("initial_h"), 0);
        if (cell == CellType.LSTM) {
            scatter(root.get("initial_c"), layers);
        }
    }

    /** Writes an [L][B][H] tensor into the per-key states at state-block offset {@code blockBase}. */
    private void scatter(JsonNode lbh, int blockBase) {
        if (lbh == null || lbh.isNull()) {
            return;
        }
        float[] v = flat(lbh);
        int h = model.hiddenSize();
        for (int l = 0; l < model.layerCount(); l++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(v, (l * batch + b) * h, initialStates,
                        b * model.stateSize() + (blockBase + l) * h, h);
            }
        }
    }

    /** Reads an [L][B][H] value out of per-key states laid out as the kernels keep them. */
    public float stateValue(float[] states, int block, int b, int j) {
        return states[b * model.stateSize() + block * model.hiddenSize() + j];
    }

    static float[] flat(JsonNode node) {
        List<Float> out = new ArrayList<>();
        collect(node, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void collect(JsonNode node, List<Float> out) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        } else {
            out.add((float) node.asDouble());
        }
    }

    /** The golden folder: system property golden.dir, else ../shared/golden from the module or the root. */
    public static Path dir() {
        String prop = System.getProperty("golden.dir");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop);
        }
        Path fromModule = Paths.get("../../shared/golden");
        return Files.isDirectory(fromModule) ? fromModule : Paths.get("../shared/golden");
    }

    public static List<GoldenCase> loadAll() throws IOException {
        Path dir = dir();
        List<GoldenCase> cases = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return cases;
        }
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json")).sorted()::iterator) {
                File file = p.toFile();
                cases.add(new GoldenCase(file.getName(), mapper.readTree(file)));
            }
        }
        return cases;
    }
}
