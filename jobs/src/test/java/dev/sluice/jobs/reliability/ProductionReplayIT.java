package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/simulate-production.sh replays a binary data set (Adult) and a regression one (the
 * housing example) through scripts/loop.sh on small sizes: it exits 0 only when its own SQL checks
 * passed (each batch ingested and scored once, the first retrain after the drift persisted, late
 * labels as generated, every champion promoted and scoring, reproducible versions, an idle loop
 * that adds nothing), and its timeline has every batch and a promotion after the drift.
 */
class ProductionReplayIT {
  private static final int BATCHES = 4;
  private static final int BATCH_ROWS = 300;
  private static final int TRAIN_ROWS = 1500;
  private static final int DRIFT_AT = 2;
  private static final int LABEL_DELAY = 1;

  @TempDir Path dir;

  /** Setup once: the replay's own setup then finds the jar built. */
  @BeforeAll
  static void setUp() throws Exception {
    Process setup =
        new ProcessBuilder(Scripts.HOME.resolve("scripts/setup.sh").toString())
            .directory(Scripts.HOME.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(setup.waitFor(15, TimeUnit.MINUTES)).as("setup finished").isTrue();
    assertThat(setup.exitValue()).as("scripts/setup.sh exit code").isZero();
  }

  private Scripts.Result replay(String name, String dataset) throws Exception {
    Path work = dir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dataset",
                dataset,
                "--batches",
                String.valueOf(BATCHES),
                "--batch-rows",
                String.valueOf(BATCH_ROWS),
                "--train-rows",
                String.valueOf(TRAIN_ROWS),
                "--drift-at",
                String.valueOf(DRIFT_AT),
                "--label-delay",
                String.valueOf(LABEL_DELAY),
                "--work",
                work.toString()));
    long started = System.nanoTime();
    Process process =
        Scripts.builder(dir.resolve("logs"), name, Map.of(), "simulate-production.sh", args)
            .start();
    assertThat(process.waitFor(40, TimeUnit.MINUTES)).as(name + " replay finished").isTrue();
    Scripts.Result result = Scripts.result(dir.resolve("logs"), name, process.exitValue());
    System.out.printf("%s: the replay took %.0f s%n", name, (System.nanoTime() - started) / 1e9);
    return result;
  }

  /** The timeline's rows: one per batch, its cells trimmed. */
  private static List<List<String>> timeline(Path work) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(work.resolve("timeline.md"))) {
      if (line.matches("\\| \\d+ \\|.*")) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
          cells.add(cell.trim());
        }
        rows.add(cells);
      }
    }
    return rows;
  }

  private void assertReplayed(String name, Scripts.Result result) throws IOException {
    String output = result.stdout() + result.stderr();
    assertThat(result.exitCode()).as(output).isZero();
    assertThat(result.stdout()).contains("simulate: every check passed");
    Path work = dir.resolve(name);
    assertThat(work.resolve("timeline.svg")).isNotEmptyFile();
    List<List<String>> rows = timeline(work);
    // batch, drifted rows, loop exit, decision, champion after, metric, features drifted, seconds
    assertThat(rows).extracting(row -> row.get(0)).containsExactly("1", "2", "3", "4");
    assertThat(rows.get(0).get(4)).as("the champion before the drift").isEqualTo("v1");
    assertThat(rows.subList(DRIFT_AT - 1, BATCHES))
        .as("a retrain promoted after the drift")
        .anySatisfy(row -> assertThat(row.get(2)).isEqualTo("10"));
    assertThat(rows.get(BATCHES - 1).get(4)).as("the champion at the end").isNotEqualTo("v1");
    assertThat(rows.subList(0, DRIFT_AT - 1))
        .as("no retrain before the drift")
        .allSatisfy(row -> assertThat(row.get(3)).isEqualTo("NO_RETRAIN"));
    assertThat(result.stdout())
        .contains("loop wall time per batch with nothing to retrain: median");
  }

  @Test
  void adultReplaysThroughTheLoop() throws Exception {
    Scripts.Result result = replay("adult", "adult");
    assertReplayed("adult", result);
  }

  @Test
  void housingReplaysThroughTheLoop() throws Exception {
    Path conf = dir.resolve("housing.conf");
    Scripts.Result infer =
        Scripts.run(
            dir.resolve("logs"),
            "infer",
            Map.of(),
            "spark-submit",
            List.of(
                "infer",
                Scripts.HOME.resolve("data/examples/housing.csv").toString(),
                "--label",
                "SalePrice",
                "--name",
                "housing",
                "--output",
                conf.toString()));
    assertThat(infer.exitCode()).as(infer.stderr()).isZero();
    Scripts.Result result = replay("housing", conf.toString());
    assertReplayed("housing", result);
  }
}
