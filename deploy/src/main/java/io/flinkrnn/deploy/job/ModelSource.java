package io.flinkrnn.deploy.job;

import io.flinkrnn.operators.ModelFiles;
import io.flinkrnn.stepper.artifact.ModelArtifacts;

/**
 * Loads the job's model ({@code model.uri}) through {@link ModelFiles}: fails fast, at job start, with the setting,
 * the URI and the problem.
 */
public final class ModelSource {
    private ModelSource() {
    }

    public static ModelArtifacts.Loaded load(String uri) {
        try {
            return ModelFiles.load(uri);
        } catch (IllegalArgumentException e) {
            throw new JobConfigException("model.uri " + e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
    }
}
