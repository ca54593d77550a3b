package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedules in conf/schedule run a valid loop: the crontab line's command and the systemd
 * unit's ExecStart, pointed at this checkout while the test holds the data set's lock, exit 75 with
 * the lock message before setup or any JVM starts. Also: {@code scripts/loop.sh --help} prints the
 * usage, and a bad option exits 2. Starts no Spark.
 */
class ScheduleIT {
  private static final Path SCHEDULE = Scripts.HOME.resolve("conf").resolve("schedule");
  private static final String INSTALLATION = "/opt/sluice";
  private static final String LOG_FOLDER = "/var/log/sluice";
  private static final String DATASET = "adult";
  private static final int LOCKED = 75;
  private static final int USAGE = 2;

  @TempDir Path dir;

  private Path logs() {
    return dir.resolve("logs");
  }

  private Path locks() {
    return dir.resolve("locks");
  }

  /** Runs {@code command} in the checkout with the test's lock folder and no log file set. */
  private Scripts.Result run(String name, List<String> command) throws Exception {
    Files.createDirectories(logs());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(Scripts.HOME.toFile())
            .redirectOutput(logs().resolve(name + ".out").toFile())
            .redirectError(logs().resolve(name + ".err").toFile());
    builder.environment().remove("SLUICE_LOG");
    builder.environment().put("SLUICE_LOCK_DIR", locks().toString());
    Process process = builder.start();
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).as(name + " finished").isTrue();
    return Scripts.result(logs(), name, process.exitValue());
  }

  /**
   * Holds the loop's lock of {@link #DATASET} with flock(1), as a running loop does, until {@link
   * #release}. A FileChannel lock would not do: Java locks with fcntl, which flock(2) does not see.
   */
  private Process holdLock() throws IOException {
    Path file = Files.createDirectories(locks()).resolve("loop-" + DATASET + ".lock");
    Process holder =
        new ProcessBuilder(
                "bash",
                "-c",
                "exec 9<>\"$1\" && flock -n 9 && echo locked && exec sleep 120",
                "hold",
                file.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).as("the test holds " + file).isEqualTo("locked");
    }
    return holder;
  }

  private static void release(Process holder) throws InterruptedException {
    holder.destroy();
    assertThat(holder.waitFor(10, TimeUnit.SECONDS)).as("lock released").isTrue();
  }

  private void assertStoppedAtTheLock(Scripts.Result result, String output) {
    assertThat(result.exitCode()).as(output).isEqualTo(LOCKED);
    assertThat(output)
        .contains(
            "loop: another loop of "
                + DATASET
                + " holds the lock "
                + locks().resolve("loop-" + DATASET + ".lock"))
        .contains("exit " + LOCKED + " (another loop holds the lock)")
        .as("setup never ran")
        .doesNotContain("loop: setup");
  }

  @Test
  void helpPrintsTheUsage() throws Exception {
    Scripts.Result result = Scripts.run(logs(), "help", Map.of(), "loop.sh", List.of("--help"));
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("scripts/loop.sh --dataset NAME|FILE.conf [--set KEY=VALUE]... [--no-retrain]")
        .contains("Exit codes: 0 nothing retrained");
  }

  @Test
  void aBadOptionExitsWithUsage() throws Exception {
    Scripts.Result result =
        Scripts.run(
            logs(), "bad", Map.of(), "loop.sh", List.of("--dataset", DATASET, "--no-such-option"));
    assertThat(result.exitCode()).isEqualTo(USAGE);
    assertThat(result.stderr())
        .contains("loop: unknown option --no-such-option")
        .contains("usage: scripts/loop.sh");
  }

  @Test
  void theCrontabLineReachesTheLock() throws Exception {
    List<String> entries =
        Files.readAllLines(SCHEDULE.resolve("sluice-loop.crontab")).stream()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .toList();
    assertThat(entries).as("crontab entries").hasSize(1);
    // Five time fields, then the command; cron would turn a % in it into a newline.
    String[] fields = entries.get(0).trim().split("\\s+", 6);
    assertThat(fields).hasSize(6);
    String command = fields[5];
    assertThat(command).startsWith("cd " + INSTALLATION + " && ").doesNotContain("%");
    Path logFolder = Files.createDirectories(dir.resolve("var-log"));
    String local =
        command
            .replace(INSTALLATION, "'" + Scripts.HOME + "'")
            .replace(LOG_FOLDER, "'" + logFolder + "'");

    Process holder = holdLock();
    Scripts.Result result;
    try {
      result = run("crontab", List.of("/bin/sh", "-c", local));
    } finally {
      release(holder);
    }
    // The line sends everything to its own file: here, under the test's folder.
    assertThat(result.stdout() + result.stderr()).as("output outside the log folder").isEmpty();
    assertStoppedAtTheLock(result, Files.readString(logFolder.resolve("loop.out")));
  }

  @Test
  void theServiceReachesTheLock() throws Exception {
    List<String> unit = Files.readAllLines(SCHEDULE.resolve("sluice-loop@.service"));
    assertThat(unit)
        .contains("Type=oneshot", "WorkingDirectory=" + INSTALLATION)
        .anySatisfy(line -> assertThat(line).startsWith("SuccessExitStatus=").contains(" 75"));
    String execStart =
        unit.stream()
            .filter(line -> line.startsWith("ExecStart="))
            .findFirst()
            .orElseThrow()
            .substring("ExecStart=".length());
    // systemd splits ExecStart on blanks itself (no shell) and expands %i to the instance name.
    List<String> command = new ArrayList<>();
    for (String word : Arrays.asList(execStart.trim().split("\\s+"))) {
      command.add(word.replace("%i", DATASET).replace(INSTALLATION, Scripts.HOME.toString()));
    }
    assertThat(command.get(0)).isEqualTo(Scripts.HOME.resolve("scripts/loop.sh").toString());

    Process holder = holdLock();
    Scripts.Result result;
    try {
      result = run("service", command);
    } finally {
      release(holder);
    }
    assertStoppedAtTheLock(result, result.stderr());
  }
}
