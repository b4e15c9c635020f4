package io.flinkrnn.kernels.cpu;

/**
 * One weight matrix laid out for the Java kernels, transposed to [inputs][cols] twice over:
 *
 * <ul>
 *   <li>{@link #rows}: one array per input row, so a plain loop over a row is an axpy indexed exactly like its
 *       accumulator (JDK 17's auto-vectoriser only takes loops whose arrays share one index);</li>
 *   <li>{@link #panels}: the columns [0, {@link #panelCols}) cut into panels {@code panelWidth} wide, each
 *       panel's rows stored one after the other. The register-blocked product walks one panel from its first
 *       input to its last, so the weights it streams from L2 arrive as one contiguous run the prefetcher
 *       follows, instead of 64-float pieces of arrays two kilobytes apart (measured in
 *       docs/BENCHMARKS.md).</li>
 * </ul>
 * Both hold the same numbers; which one a product reads does not change its bits.
 */
final class WeightMatrix {
    final int inputs;
    final int cols;
    final float[][] rows;
    final int panelWidth;
    /** Full panels only: {@code cols} rounded down to a multiple of {@code panelWidth} (0 without panels). */
    final int panelCols;
    /** {@code panels[(j / panelWidth) * inputs * panelWidth + k * panelWidth + j % panelWidth] = w[k][j]}. */
    final float[] panels;

    /** {@code weight(row, k)} is the untransposed W[row][k]: row = output column, k = input. */
    WeightMatrix(int inputs, int cols, int panelWidth, Element weight) {
        this.inputs = inputs;
        this.cols = cols;
        this.rows = new float[inputs][cols];
        for (int j = 0; j < cols; j++) {
            for (int k = 0; k < inputs; k++) {
                rows[k][j] = weight.at(j, k);
            }
        }
        this.panelWidth = panelWidth;
        this.panelCols = panelWidth > 0 ? cols / panelWidth * panelWidth : 0;
        this.panels = new float[panelCols * inputs];
        for (int j = 0; j < panelCols; j++) {
            for (int k = 0; k < inputs; k++) {
                panels[panelStart(j) + k * panelWidth + j % panelWidth] = rows[k][j];
            }
        }
    }

    /** Where the panel holding column {@code j} (a panel's first column) starts in {@link #panels}. */
    int panelStart(int j) {
        return j / panelWidth * inputs * panelWidth;
    }

    @FunctionalInterface
    interface Element {
        float at(int row, int k);
    }
}
