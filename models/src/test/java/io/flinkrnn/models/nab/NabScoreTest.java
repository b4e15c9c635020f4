package io.flinkrnn.models.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.TestEnvironment;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scorer reproduces NAB's published scores of two detectors from their stored results (the real corpus in
 * ../shared/data/nab), to 0.01, and scores a small hand-made case as the rules say.
 */
class NabScoreTest {
    static Path nab() {
        return TestEnvironment.data("nab");
    }

    static double[] scores(String detector) throws Exception {
        Map<String, List<LocalDateTime[]>> windows = NabCorpus.windows(nab().resolve("labels/combined_windows.json"));
        List<NabScore.Scored> corpus = NabCorpus.scored(nab().resolve("results/" + detector), detector, windows);
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = NabScore.of(NabProfile.ALL.get(i), corpus).normalized;
        }
        return out;
    }

    @Test
    void reproducesThePublishedNumentaHtmScores() throws Exception {
        double[] s = scores("numenta");
        assertEquals(70.10, s[0], 0.01, "standard");
        assertEquals(63.21, s[1], 0.01, "reward_low_FP_rate");
        assertEquals(74.32, s[2], 0.01, "reward_low_FN_rate");
    }

    @Test
    void reproducesThePublishedWindowedGaussianScores() throws Exception {
        double[] s = scores("windowedGaussian");
        assertEquals(39.65, s[0], 0.01, "standard");
        assertEquals(20.87, s[1], 0.01, "reward_low_FP_rate");
        assertEquals(47.41, s[2], 0.01, "reward_low_FN_rate");
    }

    @Test
    void aSmallCaseScoresAsTheRulesSay() {
        // 100 rows, probation 15; one window over rows 40..49 (width 10).
        List<LocalDateTime> times = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            times.add(LocalDateTime.of(2020, 1, 1, 0, 0).plusMinutes(5L * i));
        }
        NabSweep sweep = NabSweep.of("x/f.csv", times, List.<LocalDateTime[]>of(
                new LocalDateTime[] {times.get(40), times.get(49)}));
        assertEquals(15, sweep.probation);
        assertEquals(1.0, sweep.value[40], 1e-12, "a window's first row is worth a full true positive");
        assertEquals(-1.0, sweep.value[20], 0, "before any window a false positive costs 1");
        double[] perfect = new double[100];
        perfect[40] = 1;
        NabScore p = NabScore.of(NabProfile.STANDARD, List.of(new NabScore.Scored(sweep, perfect)));
        assertEquals(100.0, p.normalized, 1e-9, "the first row of the window, nothing else");
        double[] late = new double[100];
        late[49] = 1;
        late[20] = 0.9;
        late[5] = 1; // probation: never counts
        NabScore l = NabScore.of(NabProfile.STANDARD, List.of(new NabScore.Scored(sweep, late)));
        double tp = NabSweep.scaledSigmoid(-1.0 / 10) / NabSweep.scaledSigmoid(-1.0);
        assertEquals(1.0, l.threshold, 0, "including the false positive at 0.9 only costs");
        assertEquals(100 * (tp + 1) / 2, l.normalized, 1e-9);
        assertTrue(NabScore.of(NabProfile.STANDARD, List.of(new NabScore.Scored(sweep, new double[100])))
                .normalized <= 0, "nothing detected scores 0 or less (a constant score detects every row)");
    }
}
