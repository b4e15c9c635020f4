package io.flinkrnn.cli;

import io.flinkrnn.models.csv.CsvReader;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options of one command, checked against the names the command knows: an unknown
 * or repeated option, a missing value or a value of the wrong type is a {@link UsageException} naming it.
 */
public final class CliOptions {
    /** {@code --delimiter}, which every command that reads CSV lists among its options. */
    public static final String DELIMITER = "delimiter";
    /** Its help line, the same in every such command. */
    public static final String DELIMITER_HELP = "--delimiter D         CSV field separator: , ; or tab (default:"
            + " detected from the header line)";

    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> used = new LinkedHashSet<>();

    private CliOptions(String command) {
        this.command = command;
    }

    /** Parses {@code args}; {@code known} lists the option names (without dashes) this command accepts. */
    public static CliOptions parse(String command, String[] args, List<String> known) {
        CliOptions o = new CliOptions(command);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException(command + ": unexpected argument '" + a + "' (options look like --name value)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!known.contains(name)) {
                throw new UsageException(command + ": unknown option --" + name + " (known: --"
                        + String.join(", --", known) + ")");
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(command + ": option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (o.values.put(name, value) != null) {
                throw new UsageException(command + ": option --" + name + " is given twice");
            }
        }
        return o;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String fallback) {
        used.add(name);
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback, int min) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw new UsageException(command + ": --" + name + " must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a whole number, got '" + v + "'");
        }
    }

    public double decimal(String name, double fallback, double min) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min) || Double.isInfinite(d)) {
                throw new UsageException(command + ": --" + name + " must be a number >= " + min + ", got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a number, got '" + v + "'");
        }
    }

    /** One of {@code allowed}; anything else is a usage error listing them. */
    public String choice(String name, String fallback, String... allowed) {
        String v = string(name, fallback);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new UsageException(command + ": --" + name + " must be one of " + String.join(", ", allowed) + ", got '"
                + v + "'");
    }

    /** {@code --delimiter}: the CSV field separator, or null to detect it ({@link CsvReader#delimiter}). */
    public Character delimiter() {
        try {
            return CsvReader.delimiter(string(DELIMITER, null));
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --" + DELIMITER + ": " + e.getMessage());
        }
    }

    public boolean bool(String name, boolean fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        switch (v.trim().toLowerCase()) {
            case "true":
            case "yes":
            case "1":
                return true;
            case "false":
            case "no":
            case "0":
                return false;
            default:
                throw new UsageException(command + ": --" + name + " must be true or false, got '" + v + "'");
        }
    }
}
