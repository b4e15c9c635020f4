package io.flinkrnn.deploy.job;

/**
 * One setting of the job as {@code --help} and the README list it: its dotted name (the YAML path, and the
 * command-line override {@code --name value}), its default as a setting writes it ({@code null}: required), the
 * kind of value it takes and what it does. Generated from the setting's Flink option by {@link JobOptions#of}.
 */
public record JobOption(String name, String defaultValue, String type, String description) {
}
