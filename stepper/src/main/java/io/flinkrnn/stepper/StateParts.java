package io.flinkrnn.stepper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity of a key's per-key feature vector: which parts it holds, in order, each with its id, version and
 * size, and the meaning of the model's names they were computed for. It travels with the vector (in {@link
 * KeyState} and in every checkpoint), so the vector is never read by its length alone. {@link #carry} is the one
 * rule for every meeting of two layouts (a restore with other settings, a model update): a part the new layout
 * has with the same id, version and size is carried over bit for bit, any other part of it starts fresh (zero,
 * its own row count at zero), and parts it lacks are dropped. When the model's names mean something else (other
 * features, targets or scaling) every part starts fresh. Instances are interned, so a million restored keys
 * share a handful of them.
 */
public final class StateParts {
    private static final Map<StateParts, StateParts> INTERNED = new ConcurrentHashMap<>();
    /** No parts: a key before its first step, or one whose features start afresh. */
    public static final StateParts EMPTY = of(0, new int[0], new int[0], new int[0]);

    private final int meaning;
    private final int[] ids;
    private final int[] versions;
    private final int[] sizes;
    private final int size;

    private StateParts(int meaning, int[] ids, int[] versions, int[] sizes) {
        if (ids.length != versions.length || ids.length != sizes.length) {
            throw new IllegalArgumentException("state parts: " + ids.length + " ids, " + versions.length
                    + " versions, " + sizes.length + " sizes");
        }
        int total = 0;
        for (int i = 0; i < ids.length; i++) {
            if (sizes[i] < 0) {
                throw new IllegalArgumentException("state part " + ids[i] + " has a negative size " + sizes[i]);
            }
            total += sizes[i];
        }
        this.meaning = meaning;
        this.ids = ids;
        this.versions = versions;
        this.sizes = sizes;
        this.size = total;
    }

    /** The parts with these ids, versions and sizes, in vector order (interned). */
    public static StateParts of(int meaning, int[] ids, int[] versions, int[] sizes) {
        StateParts p = new StateParts(meaning, ids.clone(), versions.clone(), sizes.clone());
        return INTERNED.computeIfAbsent(p, k -> k);
    }

    /** A hash of what the model's names and scaling mean; parts of another meaning are never carried. */
    public int meaning() {
        return meaning;
    }

    /** Number of parts. */
    public int count() {
        return ids.length;
    }

    public int id(int i) {
        return ids[i];
    }

    public int version(int i) {
        return versions[i];
    }

    /** Floats of part {@code i}. */
    public int size(int i) {
        return sizes[i];
    }

    /** Floats of every part together: the length of the vector these parts describe. */
    public int size() {
        return size;
    }

    /** The known part of index {@code i}, or null for one this version of flink-rnn does not know. */
    public StatePart part(int i) {
        return StatePart.byId(ids[i]);
    }

    /**
     * {@code features}, written in {@code from}, laid out in {@code to} by the one rule (see the class comment);
     * adds every part of {@code to} that starts fresh to {@code fresh}.
     */
    public static float[] carry(float[] features, StateParts from, StateParts to, List<StatePart> fresh) {
        if (features.length != from.size) {
            throw new IllegalArgumentException("a vector of " + features.length + " floats described as "
                    + from.size + " (" + from + ")");
        }
        float[] out = new float[to.size];
        boolean sameMeaning = from.meaning == to.meaning;
        int at = 0;
        for (int i = 0; i < to.ids.length; i++) {
            int j = sameMeaning ? from.indexOf(to.ids[i]) : -1;
            if (j >= 0 && from.versions[j] == to.versions[i] && from.sizes[j] == to.sizes[i]) {
                System.arraycopy(features, from.offset(j), out, at, to.sizes[i]);
            } else {
                fresh.add(to.part(i));
            }
            at += to.sizes[i];
        }
        return out;
    }

    /** The version part {@code id} is written under here, or -1 when it is absent. */
    public int versionOf(int id) {
        int i = indexOf(id);
        return i < 0 ? -1 : versions[i];
    }

    /** Part {@code id}'s floats in {@code features} (a vector of these parts), or null when it is absent. */
    float[] floatsOf(float[] features, int id) {
        int i = indexOf(id);
        if (i < 0) {
            return null;
        }
        float[] out = new float[sizes[i]];
        System.arraycopy(features, offset(i), out, 0, sizes[i]);
        return out;
    }

    private int indexOf(int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    private int offset(int i) {
        int at = 0;
        for (int j = 0; j < i; j++) {
            at += sizes[j];
        }
        return at;
    }

    /** The parts' labels, for logs. */
    public List<String> labels() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            StatePart p = part(i);
            out.add(p == null ? "part" + ids[i] : p.label());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StateParts)) {
            return false;
        }
        StateParts p = (StateParts) o;
        return meaning == p.meaning && Arrays.equals(ids, p.ids) && Arrays.equals(versions, p.versions)
                && Arrays.equals(sizes, p.sizes);
    }

    @Override
    public int hashCode() {
        return (meaning * 31 + Arrays.hashCode(ids)) * 31 + Arrays.hashCode(sizes);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        List<String> labels = labels();
        for (int i = 0; i < ids.length; i++) {
            b.append(i == 0 ? "" : ", ").append(labels.get(i)).append(" v").append(versions[i]).append(' ')
                    .append(sizes[i]);
        }
        return b.append("] ").append(size).append(" floats").toString();
    }
}
