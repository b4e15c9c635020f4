package io.flinkrnn.operators.update;

import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStepper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The models one operator instance can step with: the one the job was started with ({@link
 * KeyState#STARTING_MODEL}) and every accepted update, each with its own {@link KeyStepper}. Which one a row
 * steps with: the newest accepted version whose switch time is at or before the row's event time, unless the
 * key already steps with a newer one (keys never go back).
 */
public final class ModelVersions implements AutoCloseable {
    private final KeyStepper starting;
    private final String startingLabel;
    private final long startingNumber;
    private final Function<ForecastModel, KeyStepper> open;
    private final TreeMap<Long, AcceptedModel> accepted = new TreeMap<>();
    private final Map<Long, KeyStepper> steppers = new TreeMap<>();

    /**
     * @param startingLabel the starting model's version as configured; as a number, the version an update must
     *     exceed (a label that is not a number counts as 0)
     * @param open opens a stepper for an accepted model (its backend, its batch)
     */
    public ModelVersions(KeyStepper starting, String startingLabel, Function<ForecastModel, KeyStepper> open) {
        this.starting = starting;
        this.startingLabel = startingLabel;
        this.startingNumber = parse(startingLabel);
        this.open = open;
    }

    private static long parse(String label) {
        try {
            return Long.parseLong(label.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public KeyStepper starting() {
        return starting;
    }

    /** The newest version this instance runs (the starting model's number before any update). */
    public long newest() {
        return accepted.isEmpty() ? startingNumber : Math.max(startingNumber, accepted.lastKey());
    }

    public boolean contains(long version) {
        return accepted.containsKey(version);
    }

    public AcceptedModel model(long version) {
        return accepted.get(version);
    }

    public List<AcceptedModel> accepted() {
        return new ArrayList<>(accepted.values());
    }

    /** Adds an accepted model and opens its stepper; a stepper that cannot be opened fails here. */
    public void add(AcceptedModel m) {
        KeyStepper s = open.apply(m.model);
        steppers.put(m.version, s);
        accepted.put(m.version, m);
    }

    /** The version a row at {@code eventTime} steps with, before the key's own version is taken into account. */
    public long applicable(long eventTime) {
        for (AcceptedModel m : accepted.descendingMap().values()) {
            if (m.switchAtMillis <= eventTime) {
                return m.version;
            }
        }
        return KeyState.STARTING_MODEL;
    }

    /** A key's version as this instance knows it: one it has never accepted counts as the starting model. */
    public long known(long keyVersion) {
        return accepted.containsKey(keyVersion) ? keyVersion : KeyState.STARTING_MODEL;
    }

    public KeyStepper stepper(long version) {
        KeyStepper s = steppers.get(version);
        return s == null ? starting : s;
    }

    /** What forecasts computed by {@code version} carry as their modelVersion. */
    public String label(long version) {
        return version == KeyState.STARTING_MODEL || !accepted.containsKey(version) ? startingLabel
                : Long.toString(version);
    }

    @Override
    public void close() {
        for (KeyStepper s : steppers.values()) {
            s.close();
        }
        steppers.clear();
        starting.close();
    }
}
