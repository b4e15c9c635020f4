package io.flinkrnn.stepper;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stepper's keys lost when their state met another layout: per {@link StatePart}, how many keys that had
 * stepped before had that part start fresh (a restore with other settings, an old savepoint, a model update),
 * so that no learned state is dropped silently. Each distinct set of fresh parts is logged once with the parts'
 * names; a listener (the operator's metrics) hears of every part of every key.
 */
public final class FreshParts {
    /** Hears of each part of a key that starts fresh. */
    public interface Listener {
        void startedFresh(StatePart part);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FreshParts.class);
    private static final int LOGGED_SETS = 64;
    private final long[] counts = new long[StatePart.values().length];
    private final Set<List<StatePart>> logged = new HashSet<>();
    private final String model;
    private Listener listener = p -> { };

    FreshParts(String model) {
        this.model = model;
    }

    /** Sets who hears of every part that starts fresh (replacing any earlier listener). */
    public void listener(Listener l) {
        this.listener = l == null ? p -> { } : l;
    }

    /** Keys whose part {@code p} started fresh after they had stepped, since this stepper was made. */
    public long count(StatePart p) {
        return counts[p.ordinal()];
    }

    void startedFresh(List<StatePart> parts) {
        for (StatePart p : parts) {
            counts[p.ordinal()]++;
            listener.startedFresh(p);
        }
        if (logged.size() < LOGGED_SETS && logged.add(List.copyOf(parts))) {
            LOG.info("Key state parts started fresh (the restored or previous state had another layout), "
                    + "counted per key in statePartsStartedFresh: {} [{}]",
                    String.join(", ", parts.stream().map(StatePart::label).toList()), model);
        }
    }
}
