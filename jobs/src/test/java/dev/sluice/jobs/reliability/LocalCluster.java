package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One standalone cluster (scripts/cluster.sh) for every test class that uses this extension in a
 * JVM: started before the first such class, stopped when the test run ends. Its ports are free
 * ones, so a developer's own cluster on 7077 is never touched.
 */
final class LocalCluster implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalCluster.class);

  private static volatile Running current;

  @Override
  public void beforeAll(ExtensionContext context) {
    current =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent("cluster", key -> Running.start(), Running.class);
  }

  /** The running cluster of this JVM (after the extension's beforeAll). */
  static Running get() {
    return current;
  }

  /** A started cluster: its state folder, master URL and the environment the scripts need. */
  record Running(Path dir, int masterPort, int masterUiPort, Map<String, String> env)
      implements ExtensionContext.Store.CloseableResource {
    static Running start() {
      try {
        Path dir = Scripts.HOME.resolve("jobs/target/it-cluster");
        Files.createDirectories(dir);
        int master = freePort(1);
        int masterUi = freePort(1);
        int workerUi = freePort(2);
        Map<String, String> env =
            Map.of(
                "SLUICE_CLUSTER_DIR", dir.toString(),
                "SLUICE_MASTER_PORT", Integer.toString(master),
                "SLUICE_MASTER_WEBUI_PORT", Integer.toString(masterUi),
                "SLUICE_WORKER_WEBUI_PORT", Integer.toString(workerUi));
        // A cluster left behind by an aborted run of this folder is stopped first.
        Scripts.run(dir.resolve("scripts"), "stop-stale", env, "cluster.sh", List.of("stop"));
        Scripts.Result started =
            Scripts.run(dir.resolve("scripts"), "start", env, "cluster.sh", List.of("start"));
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        return new Running(dir, master, masterUi, env);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    String masterUrl() {
      return "spark://127.0.0.1:" + masterPort;
    }

    /** The environment that submits a job to this cluster with its secret. */
    Map<String, String> submitEnv() {
      Map<String, String> submit = new java.util.HashMap<>(env);
      submit.put("SLUICE_MASTER", masterUrl());
      submit.put("SLUICE_DRIVER_MEMORY", "1g");
      return submit;
    }

    String secret() throws IOException {
      return Files.readAllLines(dir.resolve("spark-auth.properties")).stream()
          .filter(line -> line.startsWith("spark.authenticate.secret="))
          .map(line -> line.substring("spark.authenticate.secret=".length()))
          .findFirst()
          .orElseThrow();
    }

    @Override
    public void close() throws Exception {
      Scripts.run(dir.resolve("scripts"), "stop", env, "cluster.sh", List.of("stop"));
    }

    /** A port free now, and (for {@code count} 2) the one after it too. */
    private static int freePort(int count) throws IOException {
      for (int attempt = 0; attempt < 50; attempt++) {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
          port = socket.getLocalPort();
        }
        if (count == 1 || isFree(port + 1)) {
          return port;
        }
      }
      throw new IOException("no two consecutive free ports");
    }

    private static boolean isFree(int port) {
      try (ServerSocket socket = new ServerSocket(port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
