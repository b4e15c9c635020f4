package io.flinkrnn.deploy.job;

/**
 * One setting of the job: its dotted name (the YAML path, and the command-line override {@code --name value}),
 * its default ({@code null}: required) and what it does. The list in {@link JobOptions} is the reference:
 * {@code --help}, the README table and the container files are checked against it.
 */
public record JobOption(String name, String defaultValue, String description) {
}
