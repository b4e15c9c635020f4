package io.flinkrnn.kernels.model;

/** The recurrent cell a model is made of, with the number of gate blocks PyTorch stacks per layer. */
public enum CellType {
    /** Long short-term memory: gate blocks i, f, g, o (PyTorch order); carries h and c. */
    LSTM(4, 2),
    /** Gated recurrent unit: gate blocks r, z, n (PyTorch order); carries h only. */
    GRU(3, 1);

    private final int gates;
    private final int statesPerLayer;

    CellType(int gates, int statesPerLayer) {
        this.gates = gates;
        this.statesPerLayer = statesPerLayer;
    }

    /** Gate blocks per layer: the weight matrices have {@code gates * hidden} rows. */
    public int gates() {
        return gates;
    }

    /** Vectors of length hidden kept per layer between steps: 2 (h, c) for LSTM, 1 (h) for GRU. */
    public int statesPerLayer() {
        return statesPerLayer;
    }

    /** Parses "lstm"/"gru" in any case, with a message that lists the choices. */
    public static CellType parse(String name) {
        for (CellType t : values()) {
            if (t.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown cell type '" + name + "': expected lstm or gru");
    }
}
