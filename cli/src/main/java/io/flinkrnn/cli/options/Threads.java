package io.flinkrnn.cli.options;

import picocli.CommandLine.Option;

/** {@code --threads}: how many cores the command's arithmetic may use. */
public final class Threads {
    @Option(names = "--threads", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "worker threads (default: ${DEFAULT-VALUE}, the cores of this machine)")
    public int threads = Runtime.getRuntime().availableProcessors();
}
