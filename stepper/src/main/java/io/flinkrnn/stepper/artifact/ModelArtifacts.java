package io.flinkrnn.stepper.artifact;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GateActivation;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.LayerWeights;
import io.flinkrnn.kernels.model.ModelValidationException;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.ArtifactCell;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.schemas.ArtifactLayer;
import io.flinkrnn.schemas.ModelArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Reads and writes model artifacts: one {@link ModelArtifact} record in an Avro container file. Reading
 * checks everything and says what is wrong: a file that is not an artifact or was cut short, an unknown
 * format version, a checksum that does not match (tampered or corrupted weights), shapes that do not fit
 * the sizes, non-finite weights.
 */
public final class ModelArtifacts {
    /**
     * The newest artifact format this code reads and writes. Format 2 adds the per-key rules (scaling,
     * relative-to-last, differences, time features, guard) and covers them with the checksum; format 3 the
     * gates' activation (Keras's hard sigmoid), and is written only for such models, so that an older
     * flink-rnn refuses one by its version instead of running it with the wrong gates; format 4 the guard's
     * recent window, written only for models with one, for the same reason; format 5 the guard's level and its
     * evidence test, the same way; format 6 the guard's linear forecaster; format 7 how the guard judges its
     * candidates, written only for a guard that judges by squared error ({@link ArtifactRules} picks the format the
     * rules need).
     */
    public static final int FORMAT_VERSION = 7;
    /** What a model with a hard-sigmoid gate and no recent window for its guard is written as. */
    static final int HARD_GATES_FORMAT_VERSION = 3;
    /** What a model with logistic-sigmoid gates is written as: older readers still load it. */
    static final int SIGMOID_FORMAT_VERSION = 2;

    private ModelArtifacts() {
    }

    /** An artifact's model and its descriptive fields. */
    public static final class Loaded {
        public final ForecastModel model;
        public final Map<String, String> provenance;
        public final String checksum;

        Loaded(ForecastModel model, ModelArtifact a) {
            this.model = model;
            this.provenance = Map.copyOf(a.getProvenance());
            this.checksum = a.getWeightsSha256();
        }

        /** The network the kernels run. */
        public RnnModel network() {
            return model.network();
        }
    }

    public static void write(ForecastModel m, Map<String, String> provenance, OutputStream out) throws IOException {
        ModelArtifact a = toRecord(m, provenance);
        try (DataFileWriter<ModelArtifact> w = new DataFileWriter<>(new SpecificDatumWriter<>(ModelArtifact.class))) {
            // A sync marker from the checksum rather than a random one: the same model gives the same bytes.
            byte[] sync = HexFormat.of().parseHex(a.getWeightsSha256().substring(0, 32));
            w.create(ModelArtifact.getClassSchema(), out, sync);
            w.append(a);
        }
    }

    /** Reads and validates an artifact; {@code source} names it in error messages. */
    public static Loaded read(InputStream in, String source) throws IOException {
        ModelArtifact a;
        try (DataFileStream<ModelArtifact> r = new DataFileStream<>(in, new SpecificDatumReader<>(ModelArtifact.class))) {
            if (!r.hasNext()) {
                throw new IOException(source + ": the artifact file holds no model record");
            }
            a = r.next();
        } catch (AvroRuntimeException | IOException e) {
            if (e instanceof IOException && e.getMessage() != null && e.getMessage().startsWith(source)) {
                throw (IOException) e;
            }
            throw new IOException(source + ": not a readable model artifact (truncated, or not an Avro container"
                    + " of ModelArtifact): " + e.getMessage(), e);
        }
        if (a.getFormatVersion() < 1 || a.getFormatVersion() > FORMAT_VERSION) {
            throw new IOException(source + ": artifact format version " + a.getFormatVersion()
                    + " is not supported (this flink-rnn reads 1.." + FORMAT_VERSION + ")");
        }
        String actual = checksum(a);
        if (!actual.equals(a.getWeightsSha256())) {
            throw new IOException(source + ": weights checksum mismatch (stored " + a.getWeightsSha256()
                    + ", computed " + actual + "): the file was modified or corrupted");
        }
        try {
            return new Loaded(toModel(a), a);
        } catch (ModelValidationException e) {
            throw new ModelValidationException(source + ": " + e.getMessage(), e);
        }
    }

    static ModelArtifact toRecord(ForecastModel fm, Map<String, String> provenance) {
        RnnModel m = fm.network();
        List<ArtifactLayer> layers = new ArrayList<>();
        for (int l = 0; l < m.layerCount(); l++) {
            LayerWeights w = m.layer(l);
            layers.add(new ArtifactLayer(floats(w.weightIhCopy()), floats(w.weightHhCopy()), floats(w.biasIhCopy()),
                    floats(w.biasHhCopy())));
        }
        Normalization n = m.normalization();
        boolean hardGates = m.gateActivation() != GateActivation.SIGMOID;
        ModelArtifact.Builder b = ModelArtifact.newBuilder()
                .setFormatVersion(Math.max(ArtifactRules.formatVersion(fm.rules()),
                        hardGates ? HARD_GATES_FORMAT_VERSION : SIGMOID_FORMAT_VERSION))
                .setCell(m.cell() == CellType.LSTM ? ArtifactCell.LSTM : ArtifactCell.GRU)
                .setGruResetAfter(m.gruResetMode() == GruResetMode.AFTER_PRODUCT).setInputSize(m.inputSize())
                .setHiddenSize(m.hiddenSize()).setHorizon(m.outputSize()) // the field's name for the head's outputs
                .setFeatures(List.copyOf(fm.features()))
                .setTargets(List.copyOf(fm.targets())).setLayers(layers).setHeadWeight(floats(m.headWeightCopy()))
                .setHeadBias(floats(m.headBiasCopy())).setInputMean(floats(n.inputMeanCopy()))
                .setInputStd(floats(n.inputStdCopy())).setOutputMean(floats(n.outputMeanCopy()))
                .setOutputStd(floats(n.outputStdCopy())).setProvenance(new TreeMap<>(provenance))
                .setWeightsSha256("").setGateActivation(m.gateActivation().name());
        ArtifactRules.write(fm.rules(), b);
        ModelArtifact a = b.build();
        a.setWeightsSha256(checksum(a));
        return a;
    }

    static ForecastModel toModel(ModelArtifact a) {
        return ForecastModel.builder(toNetwork(a)).features(List.copyOf(a.getFeatures()))
                .targets(List.copyOf(a.getTargets())).rules(ArtifactRules.read(a)).build();
    }

    static <E extends Enum<E>> E named(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new ModelValidationException(field + " is '" + value + "'; known: "
                    + java.util.Arrays.toString(type.getEnumConstants()), e);
        }
    }

    static RnnModel toNetwork(ModelArtifact a) {
        RnnModel.Builder b = RnnModel.builder().cell(a.getCell() == ArtifactCell.LSTM ? CellType.LSTM : CellType.GRU)
                .gruResetMode(a.getGruResetAfter() ? GruResetMode.AFTER_PRODUCT : GruResetMode.BEFORE_PRODUCT)
                .inputSize(a.getInputSize()).hiddenSize(a.getHiddenSize()).outputSize(a.getHorizon())
                .gateActivation(a.getFormatVersion() >= 3 ? named(GateActivation.class, "gateActivation",
                        a.getGateActivation()) : GateActivation.SIGMOID);
        for (ArtifactLayer l : a.getLayers()) {
            b.addLayer(array(l.getWeightIh()), array(l.getWeightHh()), array(l.getBiasIh()), array(l.getBiasHh()));
        }
        b.head(array(a.getHeadWeight()), array(a.getHeadBias()));
        b.normalization(new Normalization(array(a.getInputMean()), array(a.getInputStd()), array(a.getOutputMean()),
                array(a.getOutputStd())));
        return b.build();
    }

    /** SHA-256 over the sizes, the cell, and every float in field order (big-endian IEEE bits). */
    static String checksum(ModelArtifact a) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer head = ByteBuffer.allocate(24);
        head.putInt(a.getCell().ordinal()).putInt(a.getGruResetAfter() ? 1 : 0).putInt(a.getInputSize())
                .putInt(a.getHiddenSize()).putInt(a.getHorizon()).putInt(a.getLayers().size());
        d.update(head.array());
        for (ArtifactLayer l : a.getLayers()) {
            digest(d, l.getWeightIh());
            digest(d, l.getWeightHh());
            digest(d, l.getBiasIh());
            digest(d, l.getBiasHh());
        }
        digest(d, a.getHeadWeight());
        digest(d, a.getHeadBias());
        digest(d, a.getInputMean());
        digest(d, a.getInputStd());
        digest(d, a.getOutputMean());
        digest(d, a.getOutputStd());
        if (a.getFormatVersion() >= 2) {
            d.update((a.getScaling() + "|" + a.getScalingSpan() + "|" + a.getRelativeToLast() + "|"
                    + a.getInputDifferences() + "|" + a.getTimeFeatures() + "|" + a.getGuard() + "|"
                    + String.join(",", a.getFeatures()) + "|" + String.join(",", a.getTargets()))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (a.getFormatVersion() >= 3) {
            d.update(("|gates=" + a.getGateActivation()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (a.getFormatVersion() >= 4) {
            d.update(("|guardRecent=" + a.getGuardRecent()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (a.getFormatVersion() >= 5) {
            d.update(("|guardLevel=" + a.getGuardLevel() + "|guardEvidence="
                    + Integer.toHexString(Float.floatToIntBits(a.getGuardEvidence())))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (a.getFormatVersion() >= 6) {
            d.update(("|guardLinear=" + a.getGuardLinear()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (a.getFormatVersion() >= 7) {
            d.update(("|guardError=" + a.getGuardError()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void digest(MessageDigest d, List<Float> values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * values.size());
        b.putInt(values.size());
        for (Float v : values) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        d.update(b.array());
    }

    private static List<Float> floats(float[] a) {
        List<Float> l = new ArrayList<>(a.length);
        for (float v : a) {
            l.add(v);
        }
        return l;
    }

    private static float[] array(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
