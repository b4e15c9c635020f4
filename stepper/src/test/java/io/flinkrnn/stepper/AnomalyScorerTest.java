package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyScorerTest {
    /** Two features, the target is feature 1, two steps ahead. */
    static final ForecastModel MODEL = ForecastModel.builder(
            RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 4, 1, 2, 5))
            .features(List.of("a", "b")).targets(List.of("b")).build();

    final KeyLayout layout = new KeyLayout(MODEL, true);
    final AnomalyScorer scorer = new AnomalyScorer(MODEL, layout);
    final float[] st = new float[layout.size];

    float score(float actual, float nextForecast) {
        float s = scorer.scoreAndLearn(st, new float[] {0f, actual}, 0);
        scorer.remember(st, 0, nextForecast);
        layout.countRow(st);
        return s;
    }

    @Test
    void scoresTheErrorAgainstTheKeysUsualErrorOnceEnoughAreSeen() {
        assertTrue(Float.isNaN(score(5f, 5f)), "no forecast yet");
        for (int i = 0; i < AnomalyScorer.MIN_ERRORS; i++) {
            // actual alternates 4 and 6 around the forecast of 5: every error is 1
            assertTrue(Float.isNaN(score(i % 2 == 0 ? 4f : 6f, 5f)), "too few errors yet, step " + i);
        }
        assertEquals(1f, st[layout.anomaly + 1], 0f, "mean absolute error of ten errors of 1");
        assertEquals(1f, score(6f, 5f), 0f, "an ordinary error scores 1");
        assertEquals(8f, score(13f, 5f), 0f, "eight times the usual error");
        assertTrue(st[layout.anomaly + 1] > 1f, "the spike raises the scale a little");
    }

    @Test
    void aPerfectForecastHistoryStillScoresAFirstError() {
        score(3f, 3f);
        for (int i = 0; i < AnomalyScorer.MIN_ERRORS; i++) {
            score(3f, 3f);
        }
        assertEquals(0f, score(3f, 3f), 0f);
        assertEquals(Float.MAX_VALUE, score(4f, 3f), 0f);
    }
}
