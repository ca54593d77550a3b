package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 10: the cluster secret. Pass: during and after a job on the authenticated cluster, the
 * secret is on no process's command line and in no file the run left: driver output, daemon and
 * executor logs, the event log, any table (job_runs included); the secret file is mode 0600; and a
 * driver holding a wrong secret is refused (SASL mismatch) and never registered by the master.
 */
@ExtendWith(LocalCluster.class)
class SecretsIT extends SparkTestBase {
  @TempDir Path dir;

  private static List<Path> filesContaining(Path root, byte[] needle) throws Exception {
    List<Path> hits = new ArrayList<>();
    if (!Files.exists(root)) {
      return hits;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (file.getFileName().toString().equals("spark-auth.properties")) {
          continue;
        }
        byte[] content = Files.readAllBytes(file);
        if (indexOf(content, needle) >= 0) {
          hits.add(file);
        }
      }
    }
    return hits;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void theSecretStaysSecretAndAWrongOneIsRefused() throws Exception {
    LocalCluster.Running cluster = LocalCluster.get();
    String secret = cluster.secret();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cluster.dir().resolve("spark-auth.properties"))))
        .isEqualTo("rw-------");

    Path conf = TinyDataset.write(dir.resolve("data"), 50);
    Path lake = dir.resolve("lake");
    Path events = Files.createDirectories(dir.resolve("events"));
    Map<String, String> env = new HashMap<>(cluster.submitEnv());
    env.put(
        "SLUICE_SUBMIT_OPTS",
        "--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file:" + events);
    Process job =
        Scripts.builder(
                dir.resolve("logs"),
                "ingest",
                env,
                "spark-submit",
                Stream.concat(Stream.of("ingest"), Scripts.tinyJob(conf, lake).stream()).toList())
            .start();
    Set<String> commandLinesWithSecret = ConcurrentHashMap.newKeySet();
    int executorsSeen = 0;
    while (!job.waitFor(500, TimeUnit.MILLISECONDS)) {
      for (ClusterProcesses.Proc p : ClusterProcesses.all()) {
        if (p.commandLine().contains(secret)) {
          commandLinesWithSecret.add(p.pid() + " " + p.commandLine());
        }
      }
      executorsSeen = Math.max(executorsSeen, ClusterProcesses.executors(cluster.dir()).size());
    }
    Scripts.Result result = Scripts.result(dir.resolve("logs"), "ingest", job.exitValue());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(executorsSeen).as("executors ran on the cluster").isPositive();
    assertThat(commandLinesWithSecret).isEmpty();

    try (Stream<Path> logs = Files.list(events)) {
      assertThat(logs.count()).as("event log written").isPositive();
    }
    assertThat(spark.read().format("delta").load(lake + "/job_runs").count()).isEqualTo(1);
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    assertThat(filesContaining(dir, needle)).isEmpty();
    assertThat(filesContaining(cluster.dir(), needle)).isEmpty();

    // The check can fail: a file holding the secret is found.
    Files.writeString(dir.resolve("leak.txt"), "x" + secret + "y");
    assertThat(filesContaining(dir, needle)).containsExactly(dir.resolve("leak.txt"));
    Files.delete(dir.resolve("leak.txt"));

    // A driver with a wrong secret: refused at the SASL handshake, never registered.
    Path wrong = dir.resolve("wrong.properties");
    Files.writeString(
        wrong,
        "spark.authenticate=true\nspark.authenticate.secret=" + "0".repeat(secret.length()) + "\n");
    Map<String, String> wrongEnv = new HashMap<>(cluster.submitEnv());
    wrongEnv.put("SLUICE_PROPERTIES_FILE", wrong.toString());
    wrongEnv.put("SLUICE_SUBMIT_OPTS", "--name sluice-wrong-secret");
    Process refused =
        Scripts.builder(
                dir.resolve("logs"),
                "wrong",
                wrongEnv,
                "spark-submit",
                Stream.concat(
                        Stream.of("ingest"),
                        Scripts.tinyJob(conf, dir.resolve("wrong-lake")).stream())
                    .toList())
            .start();
    Path wrongErr = dir.resolve("logs/wrong.err");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.readString(wrongErr).contains("Mismatched response")
        && refused.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    String stderr = Files.readString(wrongErr);
    if (refused.isAlive()) {
      refused.destroyForcibly().waitFor();
    }
    assertThat(stderr).contains("SaslException").contains("Mismatched response");
    assertThat(Files.readString(cluster.dir().resolve("logs/master.log")))
        .contains("Registering app sluice-ingest")
        .doesNotContain("Registering app sluice-wrong-secret");
  }
}
