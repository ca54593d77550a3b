package dev.sluice.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.testing.SparkTestBase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several readers on one lakehouse at once: other processes, and a reader during a write. */
class ConcurrentSessionsTest extends SparkTestBase {
  private static final long BASE_ROWS = 1000;
  private static final long APPEND_ROWS = 250;
  private static final int APPENDS = 6;

  @TempDir Path dir;

  /** The lakehouse of a session that queries it by name: it registers the tables it writes. */
  private Lakehouse lakehouse(String database) {
    Lakehouse lakehouse =
        new Lakehouse(spark, new LakehouseSettings(dir.resolve("lake").toString(), database));
    lakehouse.registerAll();
    return lakehouse;
  }

  /** {@code rows} rows written as 4 files, so a reader that saw part of a commit would see it. */
  private Dataset<Row> rows(long start, long rows) {
    return spark.range(start, start + rows).repartition(4).toDF("id");
  }

  @Test
  void twoOtherProcessesSeeTheTablesByNameWhileThisSessionHoldsTheCatalog() throws Exception {
    Lakehouse lakehouse = lakehouse("sluice");
    lakehouse.append(rows(0, BASE_ROWS), "events");
    assertThat(spark.sql("SELECT count(*) FROM sluice.events").first().getLong(0))
        .isEqualTo(BASE_ROWS);

    // Both shells start while this JVM's session has the database open, and overlap each other.
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> shellProcess("first"));
    CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> shellProcess("second"));
    assertThat(spark.sql("SELECT count(*) FROM sluice.events").first().getLong(0))
        .isEqualTo(BASE_ROWS);
    assertThat(first.get(15, TimeUnit.MINUTES)).isEqualTo("n\n" + BASE_ROWS + "\n");
    assertThat(second.get(15, TimeUnit.MINUTES)).isEqualTo("n\n" + BASE_ROWS + "\n");
  }

  @Test
  void theInteractiveShellReadsStatementsOverLinesThroughJLineAndKeepsHistory() throws Exception {
    lakehouse("sluice").append(rows(0, 3), "events");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SqlShell shell =
        new SqlShell(
            spark,
            new LakehouseSettings(dir.resolve("lake").toString(), "sluice"),
            ResultFormat.CSV,
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    shell.open();
    String typed =
        "SELECT count(*) AS n\n  FROM events;\nSELECT nope FROM events;\n"
            + "SELECT max(id) AS m FROM events; quit;\nSELECT 'never run';\n";
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    Path history = dir.resolve("history");
    try (JLineInput input =
        JLineInput.open(
            new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
            terminal,
            history.toFile())) {
      shell.interactive(input);
    }
    // A statement over two lines runs once complete; an error does not end the session; quit does.
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("n\n3\nm\n2\n");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Error in: SELECT nope FROM events")
        .doesNotContain("never run");
    assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("sluice> ", "      > ");
    assertThat(Files.readAllLines(history))
        .containsExactly(
            "SELECT count(*) AS n",
            "  FROM events;",
            "SELECT nope FROM events;",
            "SELECT max(id) AS m FROM events; quit;");
  }

  /** Runs {@code SqlShell -e} in a new JVM with this JVM's classpath and flags; its output. */
  private String shellProcess(String name) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-")
          || flag.startsWith("-XX:")
          || flag.startsWith("-Djdk")
          || flag.startsWith("-Dio.netty")
          || flag.startsWith("--enable-native")) {
        command.add(flag);
      }
    }
    command.addAll(
        List.of(
            "-Xmx1g",
            "-Dspark.master=local[1]",
            "-Dspark.ui.enabled=false",
            "-Dspark.driver.host=127.0.0.1",
            "-Dspark.driver.bindAddress=127.0.0.1",
            "-cp",
            System.getProperty("java.class.path"),
            SqlShell.class.getName(),
            "--set",
            "sluice.lakehouse.root=" + dir.resolve("lake"),
            "--format",
            "csv",
            "-e",
            "SELECT count(*) AS n FROM sluice.events"));
    try {
      Path out = dir.resolve(name + ".out");
      Path err = dir.resolve(name + ".err");
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      // A guard against a hung child, not a timing check: a loaded 2-core machine took 2 min per
      // JVM.
      if (!process.waitFor(15, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(name + " shell did not finish");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            name + " shell exited " + process.exitValue() + ":\n" + Files.readString(err));
      }
      return Files.readString(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aQueryDuringAnAppendSeesTheOldOrTheNewTableNeverPartOfACommit() throws Exception {
    Lakehouse lakehouse = lakehouse("sluice_snapshot");
    lakehouse.append(rows(0, BASE_ROWS), "events");
    AtomicBoolean writing = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              while (writing.get()) {
                seen.add(
                    spark
                        .sql("SELECT count(*) FROM sluice_snapshot.events WHERE id >= 0")
                        .first()
                        .getLong(0));
              }
            });
    for (int i = 0; i < APPENDS; i++) {
      lakehouse.append(rows(BASE_ROWS + i * APPEND_ROWS, APPEND_ROWS), "events");
    }
    writing.set(false);
    reader.get(5, TimeUnit.MINUTES);

    List<Long> commits = new ArrayList<>();
    for (int i = 0; i <= APPENDS; i++) {
      commits.add(BASE_ROWS + i * APPEND_ROWS);
    }
    assertThat(seen).isNotEmpty();
    assertThat(commits).containsAll(seen);
    assertThat(spark.sql("SELECT count(*) FROM sluice_snapshot.events").first().getLong(0))
        .isEqualTo(BASE_ROWS + APPENDS * APPEND_ROWS);
  }
}
