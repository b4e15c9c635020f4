package io.flinkrnn.cli.console;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line: redrawn in place with a bar on a terminal, printed as plain lines (at most one per
 * {@code plainEveryNanos}, plus the final one) when the output is a file or a pipe.
 */
public final class ProgressBar {
    private static final int WIDTH = 28;
    private final PrintStream out;
    private final boolean terminal;
    private final long plainEveryNanos;
    private long lastPlain;
    private int lastLength;

    public ProgressBar(PrintStream out, boolean terminal, long plainEveryNanos) {
        this.out = out;
        this.terminal = terminal;
        this.plainEveryNanos = plainEveryNanos;
    }

    public static ProgressBar forStdout(PrintStream out) {
        return new ProgressBar(out, System.console() != null && out == System.out, 5_000_000_000L);
    }

    /** Shows {@code done/total} with a label and details; {@code elapsedNanos} gives the ETA. */
    public void show(String label, double done, double total, String details, long elapsedNanos) {
        double f = total <= 0 ? 1 : Math.min(1, done / total);
        String eta = f > 0 && f < 1 ? duration((long) (elapsedNanos / f - elapsedNanos)) : "-";
        if (terminal) {
            int fill = (int) Math.round(f * WIDTH);
            String line = String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %s ETA %s", label, "#".repeat(fill),
                    ".".repeat(WIDTH - fill), 100 * f, details, eta);
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            out.flush();
        } else if (elapsedNanos - lastPlain >= plainEveryNanos || f >= 1) {
            lastPlain = elapsedNanos;
            out.printf(Locale.ROOT, "%s %3.0f%% %s ETA %s%n", label, 100 * f, details, eta);
        }
    }

    /** Ends the redrawn line so the next output starts on its own line. */
    public void finish() {
        if (terminal && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }

    public static String duration(long nanos) {
        long s = Math.max(0, nanos / 1_000_000_000L);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
