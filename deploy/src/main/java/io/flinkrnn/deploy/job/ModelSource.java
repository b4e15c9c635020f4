package io.flinkrnn.deploy.job;

import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Loads a model artifact from a local path or any URI Flink's FileSystem reads (file, s3, hdfs, gs, ... as
 * far as the cluster has the plugin). Fails fast, at job start, with the URI and the problem.
 */
public final class ModelSource {
    private ModelSource() {
    }

    public static ModelArtifacts.Loaded load(String uri) {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem();
            if (!fs.exists(path)) {
                throw new JobConfigException("model.uri " + uri + ": no such file");
            }
            try (InputStream in = fs.open(path)) {
                return ModelArtifacts.read(in, uri);
            }
        } catch (IOException e) {
            // The cause stays attached: an S3 or HDFS error behind model.uri reaches the log with its stack.
            throw new JobConfigException("model.uri " + uri + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof JobConfigException) {
                throw e;
            }
            throw new JobConfigException("model.uri " + uri + ": " + e.getMessage(), e);
        }
    }
}
