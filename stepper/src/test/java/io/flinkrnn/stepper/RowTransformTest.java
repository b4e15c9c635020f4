package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-key scaling on the series that break a global z-score: constant, shifted, spiky; and the clip that only
 * per-key inputs get.
 */
class RowTransformTest {
    static final int SPAN = 100;
    final ForecastModel model = ForecastModel.builder(
            RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 1, 2))
            .features(List.of("v")).scaling(Scaling.PER_KEY, SPAN).relativeToLast(true).build();
    final KeyLayout layout = new KeyLayout(model, false);
    final RowTransform t = new RowTransform(model, layout);
    final float[] st = new float[layout.size];
    final float[] in = new float[1];

    float feed(float v) {
        t.prepare(st, new float[] {v}, 0, 0L, in, 0);
        layout.countRow(st);
        return in[0];
    }

    @Test
    void aConstantSeriesGivesZeroInputsAndAPositiveScale() {
        for (int i = 0; i < 500; i++) {
            assertEquals(0f, feed(42f), 0f, "row " + i);
        }
        float s = t.scaleOf(st, 0);
        assertTrue(s > 0f && s < 1e-2f, "a tiny positive scale, never 0: " + s);
        assertEquals(42f, t.outputCenter(st, new float[] {42f}, 0, 0), 0f, "relative: the last value");
        float forecast = 0.7f * t.outputScale(st, 0) + t.outputCenter(st, new float[] {42f}, 0, 0);
        assertEquals(42f, forecast, 1e-2f, "any head output stays at the constant");
    }

    @Test
    void aLevelShiftIsFollowedWithinTheSpan() {
        for (int i = 0; i < 300; i++) {
            feed(10f + (i % 2));
        }
        float first = feed(1000f + (300 % 2));
        assertTrue(first > 5f && first <= (float) Math.sqrt(SPAN), "the shift stands out, bounded: " + first);
        float z = 0;
        for (int i = 301; i < 301 + 5 * SPAN; i++) {
            z = feed(1000f + (i % 2));
        }
        assertTrue(Math.abs(z) < 2f, "after a few spans the new level is normal: " + z);
        assertEquals(1000.5f, st[layout.scaling], 10f, "the mean has moved to the new level (within e^-5 of the jump)");
    }

    @Test
    void anOutlierCannotReachTheNetworkAsAHugeInput() {
        for (int i = 0; i < 200; i++) {
            feed((float) Math.sin(i));
        }
        float spike = feed(1e9f);
        assertTrue(spike > 1f && spike <= (float) Math.sqrt(SPAN) + 1e-3f, "bounded by sqrt(span): " + spike);
        float after = feed((float) Math.sin(201));
        assertTrue(Float.isFinite(after) && Math.abs(after) < 1f, "the next ordinary row is ordinary: " + after);
        assertTrue(Float.isFinite(t.scaleOf(st, 0)));
    }

    @Test
    void theFirstRowsWarmUpOnTheKeysOwnValues() {
        assertEquals(0f, feed(7f), 0f, "a key's first row is its own mean");
        assertEquals(7f, st[layout.scaling], 0f);
        feed(9f);
        assertEquals(8f, st[layout.scaling], 0f, "plain average while warming up");
        assertEquals(1f, st[layout.scaling + 1], 0f, "population variance of 7 and 9");
    }

    /** Imported models scale globally: the network must see exactly the model's own z-score, however large. */
    @Test
    void aGlobalScalingInputOfAMillionReachesTheNetworkUnclipped() {
        ForecastModel global = ForecastModel.builder(
                RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 4, 1, 1, 3))
                .features(List.of("v")).inputDifferences(true).build();
        KeyLayout l = new KeyLayout(global, false);
        RowTransform g = new RowTransform(global, l);
        float[] s = new float[l.size];
        float[] x = new float[2];
        for (float v : new float[] {-1e6f, 1e6f}) {
            g.prepare(s, new float[] {v}, 0, 0L, x, 0);
            l.countRow(s);
            assertEquals(global.network().normalization().normalizeInput(0, v), x[0], 0f, "the z-score of " + v);
            assertTrue(Math.abs(x[0]) > 1e5f, "far beyond the per-key clip: " + x[0]);
        }
        assertEquals(2e6f / global.network().normalization().inputStdCopy()[0], x[1], 0f, "the difference too");
    }

    /** Per-key inputs keep the clip (trained models' bits): a long span lets the warm-up bound sqrt(n) pass it. */
    @Test
    void aPerKeyInputIsStillClipped() {
        ForecastModel wide = ForecastModel.builder(
                RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 4, 1, 1, 3))
                .features(List.of("v")).scaling(Scaling.PER_KEY, 100_000).inputDifferences(true).build();
        KeyLayout l = new KeyLayout(wide, false);
        RowTransform w = new RowTransform(wide, l);
        float[] s = new float[l.size];
        float[] x = new float[2];
        for (int i = 0; i < 4000; i++) {
            w.prepare(s, new float[] {(float) Math.sin(i)}, 0, 0L, x, 0);
            l.countRow(s);
        }
        w.prepare(s, new float[] {1e9f}, 0, 0L, x, 0);
        assertEquals(RowTransform.CLIP, x[0], 0f, "sqrt(4001) > 50: the clip binds on the level");
        assertEquals(RowTransform.CLIP, x[1], 0f, "and on the difference");
    }
}
