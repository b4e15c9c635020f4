package io.flinkrnn.operators;

import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Loads a model artifact from a local path or any URI Flink's FileSystem reads (file, s3, hdfs, gs, ... as far as
 * the cluster has the plugin), for the job and the SQL function alike. Fails with one line naming the URI and the
 * problem; the cause (an S3 or HDFS error) stays attached for the log.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** @throws IllegalArgumentException naming {@code uri} when it cannot be read or is no valid artifact */
    public static ModelArtifacts.Loaded load(String uri) {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem();
            if (!fs.exists(path)) {
                throw new IllegalArgumentException(uri + ": no such file");
            }
            try (InputStream in = fs.open(path)) {
                return ModelArtifacts.read(in, uri);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(uri + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(uri + ": " + e.getMessage(), e);
        }
    }
}
