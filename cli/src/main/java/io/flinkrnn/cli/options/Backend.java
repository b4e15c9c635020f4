package io.flinkrnn.cli.options;

import io.flinkrnn.kernels.BackendKind;
import picocli.CommandLine.Option;

/** {@code --backend}: which kernels step the network. */
public final class Backend {
    @Option(names = "--backend", paramLabel = "KIND", converter = Choices.Backends.class,
            completionCandidates = Choices.Backends.class,
            description = "one of ${COMPLETION-CANDIDATES}; auto: an OpenCL GPU when there is one, else Java; java:"
                    + " the project's Java kernels; opencl: Aparapi's OpenCL kernels (default: ${DEFAULT-VALUE})")
    public BackendKind kind;

    /** Java kernels unless told otherwise. */
    public Backend() {
        this(BackendKind.JAVA);
    }

    /** A command whose default is another kind ({@code bench}: auto). */
    public Backend(BackendKind byDefault) {
        this.kind = byDefault;
    }
}
