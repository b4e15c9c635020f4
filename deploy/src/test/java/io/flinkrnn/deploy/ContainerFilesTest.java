package io.flinkrnn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.deploy.job.FlinkRnnJob;
import io.flinkrnn.deploy.job.JobConfig;
import io.flinkrnn.deploy.job.JobOptions;
import io.flinkrnn.deploy.job.KafkaOptions;
import io.flinkrnn.schemas.Observation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Docker does not run here, so the container and Kubernetes files are checked against the code: every YAML
 * parses, and the main class, jar paths, setting names, topic names, Flink version and Avro trusted package
 * agree with what the build produces and the job reads.
 */
class ContainerFilesTest {
    private static final Path DEPLOY = Paths.get("").toAbsolutePath();
    private static final String JAR_IN_IMAGE = "/opt/flink/usrlib/flink-rnn-job.jar";
    private static final String AVRO_OPTION = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES="
            + Observation.class.getPackageName();

    static Object yaml(Path p) throws Exception {
        return new Load(LoadSettings.builder().setLabel(p.toString()).build()).loadFromString(Files.readString(p));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String... path) {
        Object cur = o;
        for (String k : path) {
            cur = ((Map<String, Object>) cur).get(k);
            assertTrue(cur != null, "missing " + String.join(".", path));
        }
        return (Map<String, Object>) cur;
    }

    @Test
    void everyYamlFileParses() throws Exception {
        try (Stream<Path> s = Stream.concat(Files.walk(DEPLOY.resolve("docker")), Files.walk(DEPLOY.resolve("kubernetes")))) {
            List<Path> files = s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList();
            assertEquals(3, files.size(), files.toString());
            for (Path f : files) {
                assertTrue(yaml(f) instanceof Map, f + " is a mapping");
            }
        }
    }

    @Test
    void dockerfileShipsTheJarTheBuildMakesOnTheFlinkVersionWeBuildAgainst() throws Exception {
        String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
        String pom = Files.readString(DEPLOY.resolve("../pom.xml"));
        Matcher v = Pattern.compile("<flink.version>(\\d+\\.\\d+)\\.\\d+</flink.version>").matcher(pom);
        assertTrue(v.find());
        assertTrue(dockerfile.contains("FROM flink:" + v.group(1) + "-java17"), "Flink " + v.group(1) + " image");
        String launcher = Files.readString(DEPLOY.resolve("bin/flink-rnn"));
        Matcher jar = Pattern.compile("COPY \\S+ (deploy/target/flink-rnn-deploy-(\\S+)-job\\.jar) " + JAR_IN_IMAGE)
                .matcher(dockerfile);
        assertTrue(jar.find(), "the Dockerfile copies the job jar to " + JAR_IN_IMAGE);
        assertTrue(launcher.contains("version=\"" + jar.group(2) + "\""), "same version as deploy/bin/flink-rnn");
        assertTrue(pom.contains("<version>" + jar.group(2) + "</version>"), "same version as the build");
        assertTrue(dockerfile.contains(AVRO_OPTION));
        assertTrue(dockerfile.contains("COPY --chown=flink:flink deploy/docker/job.yaml /opt/flink/usrlib/job.yaml"));
    }

    @Test
    void jobYamlUsesOnlyKnownSettingsAndTheTopicsComposeCreates() throws Exception {
        JobConfig c = JobConfig.fromYaml(Files.readString(DEPLOY.resolve("docker/job.yaml")), "job.yaml");
        Map<String, Object> compose = map(yaml(DEPLOY.resolve("docker/docker-compose.yml")), "services");
        String topicsCommand = String.valueOf(map(compose, "topics").get("command"));
        for (var option : List.of(KafkaOptions.OBSERVATIONS_TOPIC, KafkaOptions.FORECASTS_TOPIC,
                KafkaOptions.DEAD_LETTERS_TOPIC)) {
            String t = c.get(option);
            assertTrue(topicsCommand.contains(" " + t + " ") || topicsCommand.contains(" " + t + ";"),
                    "compose creates topic " + t);
        }
        assertEquals("kafka:9092", c.get(KafkaOptions.BOOTSTRAP_SERVERS));
        assertTrue(compose.containsKey("kafka") && compose.containsKey("jobmanager") && compose.containsKey(
                "taskmanager") && compose.containsKey("job"));
        String job = String.valueOf(map(compose, "job").get("command"));
        assertTrue(job.contains(JAR_IN_IMAGE) && job.contains("/opt/flink/usrlib/job.yaml"), job);
        settingsAreKnown(job);
        for (String s : List.of("jobmanager", "taskmanager")) {
            assertTrue(String.valueOf(map(compose, s, "environment").get("FLINK_PROPERTIES")).contains(AVRO_OPTION), s);
        }
    }

    @Test
    void flinkDeploymentRunsTheJobClassWithDurableStateAndHa() throws Exception {
        Object d = yaml(DEPLOY.resolve("kubernetes/flink-rnn-deployment.yaml"));
        assertEquals("FlinkDeployment", ((Map<?, ?>) d).get("kind"));
        Map<String, Object> spec = map(d, "spec");
        Map<String, Object> job = map(d, "spec", "job");
        assertEquals(FlinkRnnJob.class.getName(), job.get("entryClass"));
        assertEquals("local://" + JAR_IN_IMAGE, job.get("jarURI"));
        assertEquals("savepoint", job.get("upgradeMode"));
        settingsAreKnown(String.join(" ", ((List<?>) job.get("args")).stream().map(String::valueOf).toList()));
        Map<String, Object> conf = map(d, "spec", "flinkConfiguration");
        for (String k : List.of("state.checkpoints.dir", "state.savepoints.dir", "high-availability.storageDir")) {
            assertTrue(String.valueOf(conf.get(k)).matches("(s3|gs|hdfs|abfss?)://.+"), k + " on durable storage");
        }
        assertEquals("kubernetes", conf.get("high-availability.type"));
        assertTrue(String.valueOf(conf.get("env.java.opts.all")).contains(AVRO_OPTION));
        assertTrue(map(spec, "taskManager", "resource").containsKey("memory"));
        assertTrue(String.valueOf(spec.get("flinkVersion")).startsWith("v2_"));
    }

    /** Every {@code --name} in a command line is a job setting (or --config). */
    private static void settingsAreKnown(String commandLine) {
        Matcher m = Pattern.compile("--([a-z][a-z.-]*)").matcher(commandLine);
        int n = 0;
        while (m.find()) {
            String name = m.group(1);
            if (name.equals("config")) {
                continue;
            }
            n++;
            assertTrue(JobOptions.find(name).isPresent(), "unknown job setting --" + name + " in " + commandLine);
        }
        assertTrue(n > 0, "sets at least one job setting: " + commandLine);
    }
}
