package io.flinkrnn.cli.demo;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for report tests (Debian's {@code chromium}; .ci/run installs it). Absent here, the test is
 * skipped; under CI it fails instead. Flags as in the machine notes: no sandbox as root, no background
 * networking on a closed network, a fresh profile.
 */
final class Chromium {
    private Chromium() {
    }

    static Path binary() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (new File(p).canExecute()) {
                return Path.of(p);
            }
        }
        Assumptions.assumeFalse("true".equals(System.getenv("CI")), "CI must have chromium (apt-get install chromium)");
        Assumptions.abort("no chromium installed");
        return null;
    }

    /** The page's DOM after its scripts ran. */
    static String dumpDom(Path html, Path profile) throws Exception {
        Process p = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
                html.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 60 s");
        }
        Files.createDirectories(profile);
        return new String(out, StandardCharsets.UTF_8);
    }
}
