import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Builds of the step side by side in one JVM: each job jar gets its own class loader (so its own copy of
 * the kernels, compiled by C2 on their own), and every round times each build's 1-thread backend, 2-thread
 * backend and two independent 1-thread backends, in turn, for a fraction of a second each. Ratios are taken
 * within a round, so the host's drift over minutes cancels; medians and quartiles are over the rounds.
 *
 * <p>Usage (bench/ab/run.sh builds the classpath): {@code BuildAb CELL BATCH INPUT HIDDEN SECONDS ROUNDS
 * RUNTIME_LIB JAR[@prop=value,...] ...}. Properties after {@code @} are set before that jar's classes load,
 * for variants switched by a system property in a throwaway build (they stay set for the jars after it).
 */
public final class BuildAb {
    @SuppressWarnings("unchecked")
    public static void main(String[] a) throws Exception {
        if (a.length < 8) {
            System.err.println("usage: BuildAb CELL BATCH INPUT HIDDEN SECONDS ROUNDS RUNTIME_LIB JAR[@p=v,...]...");
            System.exit(2);
        }
        int batch = Integer.parseInt(a[1]);
        int input = Integer.parseInt(a[2]);
        int hidden = Integer.parseInt(a[3]);
        double seconds = Double.parseDouble(a[4]);
        int rounds = Integer.parseInt(a[5]);
        List<URL> libs = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(a[6]), "*.jar")) {
            for (Path p : jars) {
                libs.add(p.toUri().toURL());
            }
        }
        URL harness = BuildAb.class.getProtectionDomain().getCodeSource().getLocation();
        int n = a.length - 7;
        String[] names = new String[n];
        ToDoubleFunction<String>[] builds = new ToDoubleFunction[n];
        for (int i = 0; i < n; i++) {
            String[] jarAndProps = a[7 + i].split("@", 2);
            names[i] = a[7 + i].replaceAll(".*/", "");
            if (jarAndProps.length == 2) {
                for (String kv : jarAndProps[1].split(",")) {
                    String[] p = kv.split("=", 2);
                    System.setProperty(p[0], p.length == 2 ? p[1] : "true");
                }
            }
            List<URL> urls = new ArrayList<>(List.of(harness, Path.of(jarAndProps[0]).toUri().toURL()));
            urls.addAll(libs);
            ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            builds[i] = (ToDoubleFunction<String>) loader.loadClass("StepHarness")
                    .getConstructor(String.class, int.class, int.class, int.class, double.class)
                    .newInstance(a[0], batch, input, hidden, seconds);
        }
        String[] kinds = {"1", "2", "independent"};
        for (int warm = 0; warm < 2; warm++) {
            for (String kind : kinds) {
                for (ToDoubleFunction<String> b : builds) {
                    b.applyAsDouble(kind);
                }
            }
        }
        double[][][] rate = new double[n][kinds.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < kinds.length; k++) {
                    rate[i][k][r] = builds[i].applyAsDouble(kinds[k]);
                }
            }
            System.err.printf("round %d/%d%n", r + 1, rounds);
        }
        for (ToDoubleFunction<String> b : builds) {
            b.applyAsDouble("close");
        }
        for (int i = 0; i < n; i++) {
            System.out.printf(Locale.ROOT, "%s: 1t %.0f  2t %.0f  2t/1t %s  independent/1t %s  2t/independent %s%n",
                    names[i], median(rate[i][0]), median(rate[i][1]), ratio(rate[i][1], rate[i][0]),
                    ratio(rate[i][2], rate[i][0]), ratio(rate[i][1], rate[i][2]));
        }
    }

    /** Median of the per-round ratios, with their quartiles. */
    private static String ratio(double[] num, double[] den) {
        double[] q = new double[num.length];
        for (int r = 0; r < q.length; r++) {
            q[r] = num[r] / den[r];
        }
        Arrays.sort(q);
        return String.format(Locale.ROOT, "%.3f [%.2f-%.2f]", median(q), q[q.length / 4], q[3 * q.length / 4]);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
