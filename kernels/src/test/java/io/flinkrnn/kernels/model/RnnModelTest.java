package io.flinkrnn.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.StepBackend;
import org.junit.jupiter.api.Test;

/** Bad models fail at build() with a message that names the tensor or size and what is wrong. */
class RnnModelTest {
    static final int F = 3;
    static final int H = 4;

    private static RnnModel.Builder lstm() {
        return RnnModel.builder().cell(CellType.LSTM).inputSize(F).hiddenSize(H).outputSize(2)
                .addLayer(new float[16 * F], new float[16 * H], new float[16], new float[16])
                .head(new float[2 * H], new float[2]);
    }

    private static String fails(RnnModel.Builder b) {
        return assertThrows(ModelValidationException.class, b::build).getMessage();
    }

    @Test
    void validModelReportsItsLayout() {
        RnnModel m = lstm().build();
        assertEquals(2 * H, m.stateSize());
        assertEquals(0, m.hOffset(0));
        assertEquals(H, m.cOffset(0));
        assertEquals(2L * 4 * H * (F + H) + 2L * 2 * H, m.flopsPerKeyStep());
        assertEquals("lstm F=3 H=4 L=1 outputs=2", m.describe());
    }

    @Test
    void wrongShapeNamesTensorExpectedAndActual() {
        String msg = fails(RnnModel.builder().cell(CellType.LSTM).inputSize(F).hiddenSize(H).outputSize(2)
                .addLayer(new float[16 * F], new float[15 * H], new float[16], new float[16])
                .head(new float[2 * H], new float[2]));
        assertTrue(msg.contains("layer 0 weight_hh"), msg);
        assertTrue(msg.contains("[16][4]"), msg);
        assertTrue(msg.contains("got 60"), msg);
    }

    @Test
    void secondLayerTakesHiddenSizedInput() {
        String msg = fails(lstm().addLayer(new float[16 * F], new float[16 * H], new float[16], new float[16]));
        assertTrue(msg.contains("layer 1 weight_ih") && msg.contains("[16][4]"), msg);
    }

    @Test
    void gruUsesThreeGateBlocks() {
        String msg = fails(RnnModel.builder().cell(CellType.GRU).inputSize(F).hiddenSize(H).outputSize(1)
                .addLayer(new float[16 * F], new float[16 * H], new float[16], new float[16])
                .head(new float[H], new float[1]));
        assertTrue(msg.contains("layer 0 weight_ih") && msg.contains("[12][3]") && msg.contains("GRU"), msg);
    }

    @Test
    void nanAndInfinityAreRejectedWithTheirPosition() {
        float[] w = new float[16 * F];
        w[7] = Float.NaN;
        String msg = fails(RnnModel.builder().cell(CellType.LSTM).inputSize(F).hiddenSize(H).outputSize(2)
                .addLayer(w, new float[16 * H], new float[16], new float[16]).head(new float[2 * H], new float[2]));
        assertTrue(msg.contains("layer 0 weight_ih holds NaN at index 7 (row 2, column 1)"), msg);
        float[] b = new float[2];
        b[1] = Float.POSITIVE_INFINITY;
        msg = fails(lstm().head(new float[2 * H], b));
        assertTrue(msg.contains("head.bias holds Infinity at index 1"), msg);
    }

    @Test
    void zeroOrMissingSizesAreRejected() {
        assertTrue(fails(lstm().hiddenSize(0)).contains("hidden size must be positive, got 0"));
        assertTrue(fails(lstm().inputSize(-3)).contains("input size must be positive, got -3"));
        assertTrue(fails(lstm().outputSize(0)).contains("output size must be positive"));
        assertTrue(fails(RnnModel.builder().cell(CellType.GRU).hiddenSize(2).outputSize(1))
                .contains("input size must be positive, got nothing (not set)"));
    }

    @Test
    void missingPartsAreNamed() {
        assertTrue(fails(RnnModel.builder().inputSize(1).hiddenSize(1).outputSize(1)).contains("cell type is not set"));
        assertTrue(fails(RnnModel.builder().cell(CellType.LSTM).inputSize(1).hiddenSize(1).outputSize(1))
                .contains("no layers"));
        assertTrue(fails(RnnModel.builder().cell(CellType.LSTM).inputSize(F).hiddenSize(H).outputSize(2)
                .addLayer(new float[16 * F], new float[16 * H], new float[16], new float[16]))
                .contains("head.weight is missing"));
        assertTrue(fails(RnnModel.builder().cell(CellType.LSTM).inputSize(F).hiddenSize(H).outputSize(2)
                .addLayer(new float[16 * F], null, new float[16], new float[16]).head(new float[2 * H], new float[2]))
                .contains("layer 0 weight_hh is missing"));
    }

    @Test
    void normalizationIsCheckedAndMustFitTheModel() {
        ModelValidationException e = assertThrows(ModelValidationException.class,
                () -> new Normalization(new float[3], new float[] {1f, 0f, 1f}, new float[2], new float[] {1f, 1f}));
        assertTrue(e.getMessage().contains("input std[1] is 0.0: must be finite and positive"), e.getMessage());
        e = assertThrows(ModelValidationException.class,
                () -> new Normalization(new float[] {Float.NaN}, new float[] {1f}, new float[1], new float[] {1f}));
        assertTrue(e.getMessage().contains("input mean[0] is NaN"), e.getMessage());
        assertTrue(fails(lstm().normalization(Normalization.identity(2, 2)))
                .contains("normalization is for 2 inputs and 2 outputs, but the model has 3 inputs and 2 outputs"));
        RnnModel m = lstm().normalization(new Normalization(new float[] {1f, 2f, 3f}, new float[] {2f, 2f, 2f},
                new float[] {5f, 6f}, new float[] {10f, 10f})).build();
        assertEquals(0.5f, m.normalization().normalizeInput(1, 3f));
        assertEquals(15f, m.normalization().denormalizeOutput(0, 1f));
        assertEquals(Normalization.identity(3, 2), lstm().build().normalization());
    }

    @Test
    void unknownCellNameListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellType.parse("rnn"));
        assertTrue(e.getMessage().contains("expected lstm or gru"));
        assertEquals(CellType.GRU, CellType.parse(" GRU "));
    }

    @Test
    void modelCopiesItsInputs() {
        float[] headBias = new float[2];
        RnnModel m = lstm().head(new float[2 * H], headBias).build();
        headBias[0] = 42f;
        assertEquals(0f, m.headBias(0));
        assertEquals(m, lstm().build());
    }

    @Test
    void stepArgumentsAreCheckedWithTheArrayNamed() {
        RnnModel m = lstm().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StepBackend.checkStepArgs(m, 3, new float[9], new float[23], new float[6]));
        assertTrue(e.getMessage().contains("states holds 23 floats but a batch of 3 needs 24 (8 per key)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StepBackend.checkStepArgs(m, 3, new float[8], new float[24], new float[6]));
        assertTrue(e.getMessage().startsWith("inputs holds 8"), e.getMessage());
    }
}
