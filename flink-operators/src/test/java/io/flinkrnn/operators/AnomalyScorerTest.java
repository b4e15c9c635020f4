package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.operators.state.RnnKeyState;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyScorerTest {

    @Test
    void scoresTheErrorAgainstTheKeysUsualErrorOnceEnoughAreSeen() {
        // two inputs, the target is input 1; model outputs: 2 steps x 1 target
        AnomalyScorer scorer = new AnomalyScorer(new int[] {1}, 2);
        RnnKeyState s = RnnKeyState.fresh(4);
        assertNull(scorer.scoreAndLearn(s, List.of(0f, 5f)), "no forecast yet");
        scorer.remember(s, List.of(5f, 99f));
        Float last = null;
        for (int i = 0; i < AnomalyScorer.MIN_ERRORS; i++) {
            // actual alternates 4 and 6 around the forecast of 5: every error is 1
            last = scorer.scoreAndLearn(s, List.of(0f, i % 2 == 0 ? 4f : 6f));
            assertNull(last, "too few errors yet, step " + i);
            scorer.remember(s, List.of(5f, 99f));
        }
        assertEquals(1f, s.errorScale()[0], 0f, "mean absolute error of ten errors of 1");
        assertEquals(1f, scorer.scoreAndLearn(s, List.of(0f, 6f)), 0f, "an ordinary error scores 1");
        scorer.remember(s, List.of(5f, 99f));
        assertEquals(8f, scorer.scoreAndLearn(s, List.of(0f, 13f)), 0f, "eight times the usual error");
        assertTrue(s.errorScale()[0] > 1f, "the spike raises the scale a little");
        assertEquals(12, s.scoredErrors());
    }

    @Test
    void aPerfectForecastHistoryStillScoresAFirstError() {
        AnomalyScorer scorer = new AnomalyScorer(new int[] {0}, 1);
        RnnKeyState s = RnnKeyState.fresh(2);
        scorer.remember(s, List.of(3f));
        for (int i = 0; i < AnomalyScorer.MIN_ERRORS; i++) {
            scorer.scoreAndLearn(s, List.of(3f));
            scorer.remember(s, List.of(3f));
        }
        assertEquals(0f, scorer.scoreAndLearn(s, List.of(3f)), 0f);
        scorer.remember(s, List.of(3f));
        assertEquals(Float.MAX_VALUE, scorer.scoreAndLearn(s, List.of(4f)), 0f);
    }
}
