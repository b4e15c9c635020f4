package io.flinkrnn.stepper;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a feature vector written before keys carried their {@link StateParts} (state formats 3 and 4), so old
 * savepoints keep their keys' learned state. Such a vector was the parts of its layout in today's order, with one
 * row count for the whole key at float 0 instead of a count per part, and nothing said which layout it was. The
 * layout is found by length: the current settings' layout first (as the old reader did), then every other choice
 * of intervals, adaptation and anomaly scoring, so a restore that also changes one of those settings keeps what it
 * can; only then, in the same order, a vector that ends where the surprise test's, the context's, the weekly or
 * the signals part began (written before those parts existed), which keeps the parts before them. A length no layout
 * explains, or one two different layouts explain alike, is not guessed at: every part starts fresh.
 */
final class LegacyLayout {
    /** A legacy vector in today's form: its parts, each counting part with the key's row count in front. */
    record Read(StateParts parts, float[] features) {
    }

    private static final StatePart[] CUTS = {StatePart.SURPRISE, StatePart.CONTEXT, StatePart.WEEKLY,
        StatePart.SIGNALS};
    private final KeyLayout current;
    private final List<KeyLayout> others = new ArrayList<>();

    LegacyLayout(KeyLayout current) {
        this.current = current;
        for (int a = 0; a < 2; a++) {
            for (int i = 0; i < 2; i++) {
                for (int d = 0; d < 2; d++) {
                    KeyLayout l = new KeyLayout(current.model, a == 1, i == 1, d == 1);
                    if (!l.parts.equals(current.parts)) {
                        others.add(l);
                    }
                }
            }
        }
    }

    /** {@code features} (format 3 or 4) in today's form; no parts (all fresh) where its layout is unclear. */
    Read read(float[] features) {
        if (features.length == 0) {
            return new Read(StateParts.EMPTY, features);
        }
        for (boolean cuts : new boolean[] {false, true}) {
            Read own = match(features, current, cuts);
            if (own != null) {
                return own;
            }
            Read found = null;
            for (KeyLayout l : others) {
                Read r = match(features, l, cuts);
                if (r != null && found != null && !found.parts().equals(r.parts())) {
                    return new Read(StateParts.EMPTY, new float[0]);
                }
                found = r != null ? r : found;
            }
            if (found != null) {
                return found;
            }
        }
        return new Read(StateParts.EMPTY, new float[0]);
    }

    /** {@code features} read as written in {@code l}'s legacy form, whole (or with {@code cuts}, cut); or null. */
    private static Read match(float[] features, KeyLayout l, boolean cuts) {
        int n = features.length;
        List<StatePart> taken = new ArrayList<>();
        int at = 1;
        for (StatePart p : StatePart.values()) {
            if (cuts && at == n && isCut(p) && l.anomalyScoring) {
                return convert(features, l, taken);
            }
            if (l.has(p) && p != StatePart.LINEAR) { // no format 3/4 vector had one: it starts fresh
                taken.add(p);
                at += legacySize(l, p);
            }
        }
        return !cuts && at == n ? convert(features, l, taken) : null;
    }

    private static boolean isCut(StatePart p) {
        for (StatePart c : CUTS) {
            if (c == p) {
                return true;
            }
        }
        return false;
    }

    private static int legacySize(KeyLayout l, StatePart p) {
        return partSize(l, p) - (p.countsRows() ? 1 : 0);
    }

    private static int partSize(KeyLayout l, StatePart p) {
        for (int i = 0; i < l.parts.count(); i++) {
            if (l.parts.id(i) == p.id()) {
                return l.parts.size(i);
            }
        }
        throw new IllegalStateException("no part " + p);
    }

    private static Read convert(float[] features, KeyLayout l, List<StatePart> taken) {
        int[] ids = new int[taken.size()];
        int[] versions = new int[ids.length];
        int[] sizes = new int[ids.length];
        int total = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = taken.get(i).id();
            versions[i] = taken.get(i).version();
            sizes[i] = partSize(l, taken.get(i));
            total += sizes[i];
        }
        float[] out = new float[total];
        int from = 1;
        int to = 0;
        for (int i = 0; i < ids.length; i++) {
            StatePart p = taken.get(i);
            if (p.countsRows()) {
                out[to++] = features[0];
            }
            int payload = sizes[i] - (p.countsRows() ? 1 : 0);
            System.arraycopy(features, from, out, to, payload);
            from += payload;
            to += payload;
        }
        return new Read(StateParts.of(l.parts.meaning(), ids, versions, sizes), out);
    }
}
