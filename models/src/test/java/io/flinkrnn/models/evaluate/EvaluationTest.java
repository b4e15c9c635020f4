package io.flinkrnn.models.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.models.evaluate.Evaluation.Predictor;
import io.flinkrnn.models.json.ReportJson;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastSource;
import io.flinkrnn.stepper.Scaling;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code evaluate}'s arithmetic on a case small enough to check by hand. */
class EvaluationTest {
    /** A relative-to-last model whose head is zero: it forecasts exactly the last value. */
    static ForecastModel lastValueModel(int steps) {
        RnnModel r = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 1, 4, 1, steps, 7);
        RnnModel zeroHead = RnnModel.builder().cell(r.cell()).inputSize(1).hiddenSize(4).outputSize(steps)
                .addLayer(r.layer(0).weightIhCopy(), r.layer(0).weightHhCopy(), r.layer(0).biasIhCopy(),
                        r.layer(0).biasHhCopy())
                .head(new float[steps * 4], new float[steps]).build();
        return ForecastModel.builder(zeroHead).features(List.of("v")).scaling(Scaling.PER_KEY, 10)
                .relativeToLast(true).build();
    }

    @Test
    void handComputedCase() throws Exception {
        float[] v = {0, 1, 3, 2, 5, 4, 6};
        long[] t = new long[v.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 3_600_000L;
        }
        Evaluation e = Evaluation.run(lastValueModel(2), List.of(new Replay.Series("k", t, v)), new int[] {3}, 2, 1);
        Evaluation.KeyResult k = e.keys.get(0);
        Evaluation.Cell s1 = k.cells()[0][0];
        Evaluation.Cell s2 = k.cells()[0][1];
        assertEquals(3, s1.terms(), "origins 2, 3, 4: the whole horizon inside the file");
        // last value: step 1 errors 1, 3, 1; step 2 errors 2, 2, 1
        assertEquals(5.0 / 3, s1.mae(Predictor.LAST_VALUE), 1e-12);
        assertEquals(11.0 / 3, s1.mse(Predictor.LAST_VALUE), 1e-12);
        assertEquals(5.0 / 3, s2.mae(Predictor.LAST_VALUE), 1e-12);
        // the zero-head relative model is the last value, bit for bit
        assertEquals(s1.mae(Predictor.LAST_VALUE), s1.mae(Predictor.MODEL), 0);
        assertEquals(s2.mse(Predictor.LAST_VALUE), s2.mse(Predictor.MODEL), 0);
        // seasonal naive, season 2: step 1 uses t-1 (errors 1, 2, 2), step 2 uses t (the last value)
        assertEquals(5.0 / 3, s1.mae(Predictor.SEASONAL_NAIVE), 1e-12);
        assertEquals(s2.mae(Predictor.LAST_VALUE), s2.mae(Predictor.SEASONAL_NAIVE), 1e-12);
        // moving average of the last 2: means 2, 2.5, 3.5 -> step 1 errors 0, 2.5, 0.5; step 2 3, 1.5, 2.5
        assertEquals(1.0, s1.mae(Predictor.MOVING_AVERAGE), 1e-12);
        assertEquals(7.0 / 3, s2.mae(Predictor.MOVING_AVERAGE), 1e-12);
        // MASE: in-sample mean absolute change before row 3 is (1 + 2) / 2
        assertEquals(1.5, k.naiveScale(), 1e-12);
        assertEquals((5.0 / 3) / 1.5, k.mase(0, 1, Predictor.LAST_VALUE), 1e-12);
        assertTrue(Double.isFinite(s1.mae(Predictor.LINEAR)));
        String md = EvaluationReport.markdown(e, "test");
        assertTrue(md.contains("| k | v | 1 | 3 |"), md);
        JsonNode json = ReportJson.mapper().readTree(EvaluationReport.json(e, "test"));
        JsonNode step1 = json.path("keys").path(0).path("steps").path(0);
        assertEquals("v", step1.path("target").asText());
        assertEquals(3, step1.path("origins").asInt());
        assertEquals(s1.mse(Predictor.LAST_VALUE), step1.path("last_value").path("mse").asDouble(), 0);
        assertEquals(k.mase(0, 1, Predictor.LAST_VALUE), step1.path("last_value").path("mase").asDouble(), 0);
        // no guard: every forecast is the network's
        assertEquals(1.0, s1.share(ForecastSource.NETWORK), 0);
        assertEquals(1.0, step1.path("model_sources").path("network").asDouble(), 0);
        assertEquals(0.0, step1.path("model_sources").path("linear").asDouble(), 0);
        assertTrue(md.contains("| network 100% |"), md);
    }

    /**
     * With the guard and its linear model, on a 12-row cycle that a zero head (the last value) misses: each cell
     * says which candidates made the model's forecasts, the shares add up to one, and the linear model made most.
     */
    @Test
    void eachCellSharesTheModelsForecastsOutByTheCandidateThatMadeThem() throws Exception {
        int rows = 1200;
        float[] v = new float[rows];
        long[] t = new long[rows];
        for (int i = 0; i < rows; i++) {
            v[i] = 50f + 10f * (float) Math.sin(2 * Math.PI * i / 12) + 0.01f * (i % 7);
            t[i] = i * 300_000L;
        }
        ForecastModel plain = lastValueModel(3);
        ForecastModel guarded = ForecastModel.builder(plain.network()).features(List.of("v"))
                .scaling(Scaling.PER_KEY, 10).relativeToLast(true).guard(true).guardRecent(5).guardLinear(400).build();
        Evaluation e = Evaluation.run(guarded, List.of(new Replay.Series("cycle", t, v)), new int[] {800}, 12, 1);
        JsonNode json = ReportJson.mapper().readTree(EvaluationReport.json(e, "test"));
        for (int step = 1; step <= 3; step++) {
            Evaluation.Cell cell = e.keys.get(0).cells()[0][step - 1];
            double sum = 0;
            for (ForecastSource s : ForecastSource.values()) {
                sum += cell.share(s);
                assertEquals(cell.share(s), json.path("keys").path(0).path("steps").path(step - 1)
                        .path("model_sources").path(s.reportName()).asDouble(), 0, s.reportName());
            }
            assertEquals(1.0, sum, 1e-12, "step " + step + ": every forecast has one source");
            double linear = cell.share(ForecastSource.LINEAR) + cell.share(ForecastSource.LINEAR_MIX);
            assertTrue(linear > 0.9, "step " + step + ": the cycle is the linear model's, share " + linear);
            assertTrue(cell.mae(Predictor.MODEL) < 0.2 * cell.mae(Predictor.LAST_VALUE), "and it shows in the MAE");
        }
        String md = EvaluationReport.markdown(e, "test");
        assertTrue(md.contains("| linear "), md);
    }

    @Test
    void awkwardKeysRoundTripAndNonFiniteFiguresAreNull() throws Exception {
        String key = "Seattle, WA \"north\" \\ C:\\x\nZürich 東京";
        float[] v = {0, 1, 3, 2, 5, 4, 6};
        long[] t = new long[v.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 3_600_000L;
        }
        Evaluation e = Evaluation.run(lastValueModel(2), List.of(new Replay.Series(key, t, v)), new int[] {3}, 2, 1);
        JsonNode json = ReportJson.mapper().readTree(EvaluationReport.json(e, "a \"b\".csv"));
        assertEquals(key, json.path("keys").path(0).path("key").asText());
        assertEquals("a \"b\".csv", json.path("data").asText());
        for (JsonNode step : json.path("keys").path(0).path("steps")) {
            for (Predictor p : Predictor.values()) {
                JsonNode mase = step.path(p.name().toLowerCase(java.util.Locale.ROOT)).path("mase");
                assertTrue(mase.isNull() || mase.isNumber(), p + ": " + mase);
            }
        }
    }

    @Test
    void theSeasonFollowsTheSamplingInterval() {
        assertEquals(24, Evaluation.seasonFor(java.time.Duration.ofHours(1)));
        assertEquals(288, Evaluation.seasonFor(java.time.Duration.ofMinutes(5)));
        assertEquals(7, Evaluation.seasonFor(java.time.Duration.ofDays(1)));
        assertEquals(1, Evaluation.seasonFor(java.time.Duration.ofDays(7)));
    }
}
