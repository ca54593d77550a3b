package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts on this one machine: network namespaces and veth pairs the test makes itself (run as
 * root). Host A runs the standalone master and a worker, host B a second worker and the driver in
 * client mode; the lakehouse is on a real HDFS (a NameNode and a DataNode in the test's JVM, on the
 * bridge between the hosts). The whole chain runs, executors on both hosts do its tasks, and the
 * driver advertises host B's address without being given one. Then the chain again into a second
 * lakehouse, with host A's executor killed during training and during scoring: the same results.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostIT {
  private static final String SUBNET = "10.231.77.";
  private static final String BRIDGE_IP = SUBNET + "1";
  private static final String HOST_A_IP = SUBNET + "2";
  private static final String HOST_B_IP = SUBNET + "3";
  private static final String HOST_A = "sluice-host-a";
  private static final String HOST_B = "sluice-host-b";
  private static final String BRIDGE = "sluice-br0";
  private static final int ROWS = 400;

  @TempDir static Path dir;
  private static Path conf;
  private static List<String> sets;
  private static String hdfsUri;
  private static String master;
  private static Path secret;
  private static Path events;
  private static MiniDFSCluster hdfs;
  private static final List<Process> daemons = new ArrayList<>();

  @BeforeAll
  static void makeTwoHosts() throws Exception {
    removeHosts();
    sh("ip", "link", "add", BRIDGE, "type", "bridge");
    sh("ip", "addr", "add", BRIDGE_IP + "/24", "dev", BRIDGE);
    sh("ip", "link", "set", BRIDGE, "up");
    for (String[] host : new String[][] {{HOST_A, HOST_A_IP, "a"}, {HOST_B, HOST_B_IP, "b"}}) {
      String veth = "sluice-v" + host[2];
      sh("ip", "netns", "add", host[0]);
      sh("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", host[0]);
      sh("ip", "link", "set", veth, "master", BRIDGE);
      sh("ip", "link", "set", veth, "up");
      sh("ip", "-n", host[0], "addr", "add", host[1] + "/24", "dev", "eth0");
      sh("ip", "-n", host[0], "link", "set", "eth0", "up");
      sh("ip", "-n", host[0], "link", "set", "lo", "up");
    }
  }

  @AfterAll
  static void removeEverything() throws Exception {
    for (Process daemon : daemons) {
      daemon.descendants().forEach(ProcessHandle::destroyForcibly);
      daemon.destroyForcibly();
    }
    if (hdfs != null) {
      hdfs.shutdown();
    }
    removeHosts();
  }

  private static void removeHosts() throws Exception {
    run(List.of("ip", "netns", "pids", HOST_A)).lines().forEach(MultiHostIT::kill);
    run(List.of("ip", "netns", "pids", HOST_B)).lines().forEach(MultiHostIT::kill);
    run(List.of("ip", "netns", "del", HOST_A));
    run(List.of("ip", "netns", "del", HOST_B));
    run(List.of("ip", "link", "del", BRIDGE));
  }

  private static void kill(String pid) {
    if (pid.strip().matches("\\d+")) {
      ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  @Order(1)
  void theChainRunsOnTwoHostsWithTheLakehouseOnHdfsAndExecutorsOnBothDoingWork() throws Exception {
    hdfsUri = startHdfs();
    String root = hdfsUri + "/sluice";
    secret = dir.resolve("spark-auth.properties");
    Files.writeString(
        secret,
        "spark.authenticate=true\nspark.master.rest.enabled=false\nspark.authenticate.secret="
            + Long.toHexString(Double.doubleToLongBits(Math.random()))
            + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    int masterPort = freePort();
    master = "spark://" + HOST_A_IP + ":" + masterPort;
    Path sparkHome =
        System.getenv("SPARK_HOME") != null
            ? Path.of(System.getenv("SPARK_HOME"))
            : Scripts.HOME.resolve(".spark");

    // Host A: the master and a worker; host B: a worker. Each bound to its host's address.
    daemons.add(
        daemon(
            HOST_A,
            HOST_A_IP,
            "master",
            sparkHome,
            List.of(
                "org.apache.spark.deploy.master.Master",
                "--host",
                HOST_A_IP,
                "--port",
                Integer.toString(masterPort),
                "--webui-port",
                Integer.toString(freePort()),
                "--properties-file",
                secret.toString())));
    waitForLog(dir.resolve("master.log"), "I have been elected leader");
    for (String[] worker :
        new String[][] {{HOST_A, HOST_A_IP, "worker-a"}, {HOST_B, HOST_B_IP, "worker-b"}}) {
      Path work = dir.resolve(worker[2] + "-work");
      Files.createDirectories(work);
      daemons.add(
          daemon(
              worker[0],
              worker[1],
              worker[2],
              sparkHome,
              List.of(
                  "org.apache.spark.deploy.worker.Worker",
                  master,
                  "--host",
                  worker[1],
                  "--cores",
                  "1",
                  "--memory",
                  "1g",
                  "--webui-port",
                  Integer.toString(freePort()),
                  "--work-dir",
                  work.toString(),
                  "--properties-file",
                  secret.toString())));
    }
    for (String worker : List.of("worker-a", "worker-b")) {
      waitForLog(dir.resolve(worker + ".log"), "Successfully registered with master");
    }

    // The driver on host B in client mode: no address given, the scripts leave it to Spark.
    conf = TinyDataset.write(dir.resolve("data"), ROWS);
    sets = settings(root);
    events = dir.resolve("events");
    Files.createDirectories(events);
    List<String> pipelineArgs = new ArrayList<>(List.of("--dataset", conf.toString()));
    pipelineArgs.addAll(sets);
    Process pipeline = onHostB("pipeline", "run-pipeline.sh", pipelineArgs);
    long start = System.nanoTime();
    assertThat(pipeline.waitFor(15, TimeUnit.MINUTES)).as("the pipeline finished").isTrue();
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    String stderr = Files.readString(dir.resolve("pipeline.err"));
    assertThat(pipeline.exitValue()).as(stderr).isZero();
    assertThat(Files.readString(dir.resolve("pipeline.out"))).contains("Tables are under " + root);

    // Executors on both hosts ran tasks; the driver advertised host B's address.
    Map<String, Integer> tasksByHost = new TreeMap<>();
    String driverHost = null;
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> logs = Files.walk(events)) {
      for (Path log : logs.filter(Files::isRegularFile).toList()) {
        for (String line : Files.readAllLines(log)) {
          if (!line.startsWith("{")) {
            continue;
          }
          JsonNode event = json.readTree(line);
          String type = event.path("Event").asText();
          if (type.equals("SparkListenerTaskEnd")) {
            tasksByHost.merge(event.path("Task Info").path("Host").asText(), 1, Integer::sum);
          } else if (type.equals("SparkListenerEnvironmentUpdate")) {
            driverHost = event.path("Spark Properties").path("spark.driver.host").asText();
          }
        }
      }
    }
    System.out.printf(
        "[MultiHostIT] %d rows, the chain on two hosts in %d s; tasks by host %s; driver %s%n",
        ROWS, seconds, tasksByHost, driverHost);
    assertThat(driverHost).isEqualTo(HOST_B_IP);
    assertThat(tasksByHost.keySet()).containsExactlyInAnyOrder(HOST_A_IP, HOST_B_IP);
    assertThat(tasksByHost.values()).allMatch(tasks -> tasks > 0);

    FileSystem fs = new org.apache.hadoop.fs.Path(root).getFileSystem(hdfs.getConfiguration(0));
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(root + "/model_registry/_delta_log")))
        .isTrue();
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(root + "/predictions/_delta_log"))).isTrue();
  }

  /**
   * The same chain into a second lakehouse, with {@code kill -9} of host A's executor once training
   * has fitted its features and again (its replacement) once scoring starts: it finishes, the
   * registered version has the first run's metrics, and the predictions are the first run's, each
   * row once.
   */
  @Test
  @Order(2)
  void executorsKilledDuringTrainingAndScoringChangeNoResult() throws Exception {
    String first = hdfsUri + "/sluice";
    String second = hdfsUri + "/sluice-killed";
    List<String> pipelineArgs = new ArrayList<>(List.of("--dataset", conf.toString()));
    pipelineArgs.addAll(settings(second));
    Process pipeline = onHostB("killed", "run-pipeline.sh", pipelineArgs);
    Path stderr = dir.resolve("killed.err");
    List<Long> killed = new ArrayList<>();
    for (Pattern step :
        List.of(Pattern.compile("train: fit features \\S+ took"), Pattern.compile(">>> score"))) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (!step.matcher(Files.readString(stderr)).find()
          && pipeline.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      List<ClusterProcesses.Proc> onHostA =
          ClusterProcesses.all().stream()
              .filter(p -> p.commandLine().contains("CoarseGrainedExecutorBackend"))
              .filter(p -> p.workingDirectory().startsWith(dir.resolve("worker-a-work")))
              .filter(p -> !killed.contains(p.pid()))
              .toList();
      assertThat(onHostA).as("host A's executor when '" + step + "' appeared").isNotEmpty();
      killed.add(onHostA.get(0).pid());
      new ProcessBuilder("kill", "-9", Long.toString(onHostA.get(0).pid())).start().waitFor();
    }
    assertThat(pipeline.waitFor(15, TimeUnit.MINUTES)).as("the pipeline finished").isTrue();
    assertThat(pipeline.exitValue()).as(Files.readString(stderr)).isZero();
    assertThat(Files.readString(stderr)).contains("Lost executor");

    // Registered metrics within 1e-12 of the first run's (sums merged in task order); the same
    // predictions, each row once.
    List<String> compared =
        sql(
            "SELECT count(*) AS metrics, sum(CASE WHEN abs(a.value - b.value) <= 1e-12 THEN 1 ELSE 0"
                + " END) AS equal FROM delta.`"
                + first
                + "/model_metrics` a JOIN delta.`"
                + second
                + "/model_metrics` b USING (split, metric) WHERE a.registered AND b.registered;"
                + " SELECT (SELECT count(*) FROM delta.`"
                + first
                + "/predictions`) AS first, (SELECT count(*) FROM delta.`"
                + second
                + "/predictions`) AS second, (SELECT count(DISTINCT row_id) FROM delta.`"
                + second
                + "/predictions`) AS distinct_rows, (SELECT count(*) FROM delta.`"
                + first
                + "/predictions` a JOIN delta.`"
                + second
                + "/predictions` b USING (row_id) WHERE a.predicted_class = b.predicted_class"
                + " AND abs(a.score - b.score) <= 1e-9) AS same;");
    System.out.printf("[MultiHostIT] after two executor kills: %s%n", compared);
    String[] metrics = compared.get(0).split(",");
    assertThat(Integer.parseInt(metrics[0])).isGreaterThanOrEqualTo(10);
    assertThat(metrics[1]).isEqualTo(metrics[0]);
    String[] predictions = compared.get(1).split(",");
    assertThat(Integer.parseInt(predictions[0])).isPositive();
    assertThat(predictions).containsOnly(predictions[0]);
  }

  /** The data lines of CSV results of statements run by the SQL shell (headers dropped). */
  private static List<String> sql(String statements) throws Exception {
    Scripts.Result shell =
        Scripts.run(
            dir.resolve("logs"),
            "sql",
            Map.of(
                "SLUICE_SUBMIT_OPTS", "--conf spark.hadoop.dfs.client.use.datanode.hostname=true"),
            "sql.sh",
            List.of("-e", statements, "--format", "csv"));
    assertThat(shell.exitCode()).as(shell.stderr()).isZero();
    return shell.stdout().lines().filter(line -> line.matches("[0-9,]+")).toList();
  }

  /** The tiny chain's quick settings, with a two-point grid: cross-validation has tasks to lose. */
  private static List<String> settings(String root) {
    List<String> args = new ArrayList<>(TinyDataset.quickChain(root));
    args.add("--set");
    args.add("sluice.train.grids.logistic-regression={regParam = [0.0, 0.1], maxIter = [30]}");
    return args;
  }

  /** {@code scripts/<script> args} on host B, the driver of the cluster at {@code master}. */
  private static Process onHostB(String name, String script, List<String> args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                HOST_B,
                Scripts.HOME.resolve("scripts/" + script).toString()));
    command.addAll(args);
    ProcessBuilder driver =
        new ProcessBuilder(command)
            .directory(Scripts.HOME.toFile())
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(dir.resolve(name + ".err").toFile());
    // No address given: the scripts leave it to Spark, which takes host B's.
    driver.environment().remove("SPARK_LOCAL_IP");
    driver.environment().put("SLUICE_MASTER", master);
    driver.environment().put("SLUICE_PROPERTIES_FILE", secret.toString());
    driver.environment().put("SLUICE_DRIVER_MEMORY", "1g");
    driver
        .environment()
        .put(
            "SLUICE_SUBMIT_OPTS",
            String.join(
                " ",
                "--conf spark.hadoop.dfs.client.use.datanode.hostname=true",
                "--conf spark.eventLog.enabled=true",
                "--conf spark.eventLog.compress=false",
                "--conf spark.eventLog.dir=" + events.toUri()));
    return driver.start();
  }

  /** HDFS on the bridge's address, reachable from both hosts; its URI. */
  private static String startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    conf.set("dfs.namenode.rpc-bind-host", "0.0.0.0");
    conf.set("dfs.datanode.address", "0.0.0.0:0");
    conf.set("dfs.datanode.ipc.address", "0.0.0.0:0");
    conf.set("dfs.datanode.http.address", "0.0.0.0:0");
    // Clients reach the DataNode by this name (dfs.client.use.datanode.hostname), not by the
    // loopback address it registers from; the NameNode takes the name without a reverse lookup.
    conf.set("dfs.datanode.hostname", BRIDGE_IP);
    conf.setBoolean("dfs.namenode.datanode.registration.ip-hostname-check", false);
    int port = freePort();
    hdfs =
        new MiniDFSCluster.Builder(conf)
            .nameNodePort(port)
            .numDataNodes(1)
            .hosts(new String[] {BRIDGE_IP})
            .checkDataNodeAddrConfig(true)
            .build();
    hdfs.waitActive();
    return "hdfs://" + BRIDGE_IP + ":" + port;
  }

  private static Process daemon(
      String host, String ip, String name, Path sparkHome, List<String> args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of("ip", "netns", "exec", host, sparkHome.resolve("bin/spark-class").toString()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    builder.environment().put("SPARK_LOCAL_IP", ip);
    builder.environment().put("SPARK_DRIVER_MEMORY", "512m");
    // The daemons' log configuration of scripts/cluster.sh: their start-up lines at INFO.
    builder
        .environment()
        .put(
            "SPARK_DRIVER_JAVA_OPTS",
            "-Dlog4j2.configurationFile=" + Scripts.HOME.resolve("conf/log4j2-cluster.properties"));
    return builder.start();
  }

  private static void waitForLog(Path log, String line) throws Exception {
    for (int waited = 0; waited < 120; waited++) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(log + " has no '" + line + "' after 120 s:\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void sh(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return output;
  }
}
