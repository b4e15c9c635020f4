package io.flinkrnn.stepper;

import java.util.ArrayList;
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

    /** Why parts start fresh when a key's state meets another layout: a restore, an old savepoint, a model update. */
    static final String ANOTHER_LAYOUT = "the restored or previous state had another layout";
    /** Why the linear part starts fresh when its older values are gone: see {@link KeyStepper}'s history checks. */
    static final String HISTORY_GONE = "the key's history had expired apart from its state, or had another length";
    private static final Logger LOG = LoggerFactory.getLogger(FreshParts.class);
    private static final int LOGGED_SETS = 64;
    private final long[] counts = new long[StatePart.values().length];
    private final Set<List<Object>> logged = new HashSet<>();
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
        startedFresh(parts, ANOTHER_LAYOUT);
    }

    /** Counts and reports {@code parts} of one key as started fresh, {@code why} in the log line. */
    void startedFresh(List<StatePart> parts, String why) {
        for (StatePart p : parts) {
            counts[p.ordinal()]++;
            listener.startedFresh(p);
        }
        List<Object> set = new ArrayList<>(parts);
        set.add(why);
        if (logged.size() < LOGGED_SETS && logged.add(set)) {
            LOG.info("Key state parts started fresh ({}), counted per key in statePartsStartedFresh: {} [{}]", why,
                    String.join(", ", parts.stream().map(StatePart::label).toList()), model);
        }
    }
}
