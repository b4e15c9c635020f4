package io.flinkrnn.models.nab;

import java.util.List;

/** One of NAB's three application profiles: the weights of a true positive, a false positive and a miss. */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {
    public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);
    public static final NabProfile LOW_FP = new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0);
    public static final NabProfile LOW_FN = new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);

    /** Standard, low FP, low FN: the order NAB's scoreboard lists them in. */
    public static final List<NabProfile> ALL = List.of(STANDARD, LOW_FP, LOW_FN);
}
