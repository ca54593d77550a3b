package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.train.TrainJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 11: train and promote killed with SIGKILL between their steps, held there by the
 * failpoint of {@code dev.sluice.common.run.Steps}: train after it wrote the version's baselines
 * and before it registered the version; promote after it logged its PROMOTED decision and before it
 * moved the champion alias. Pass: a re-run of each finishes the work once: one registered version
 * with one set of baselines, one decision, one champion change.
 */
class KillBetweenStepsIT extends SparkTestBase {
  private static final int ROWS = 400;

  @TempDir Path dir;

  private Path conf;
  private Path lake;

  private LoadedSettings settings() throws Exception {
    return TestSpecs.load(
        Files.readString(conf),
        Map.of(
            "sluice.lakehouse.root",
            lake.toString(),
            "sluice.train.estimators",
            "[logistic-regression]",
            "sluice.train.folds",
            "2",
            "sluice.promote.bootstrap.resamples",
            "20"));
  }

  private long rows(String table, String where) {
    return spark.read().format("delta").load(lake.resolve(table).toString()).where(where).count();
  }

  /**
   * Runs {@code job} through spark-submit until the failpoint after {@code step}, then kills it.
   */
  private void killAfter(String job, String step) throws Exception {
    Path marker = dir.resolve(job + ".paused");
    Process driver =
        Scripts.builder(
                dir.resolve("logs"),
                job,
                Map.of(
                    "SLUICE_SUBMIT_OPTS",
                    "--conf spark.driver.extraJavaOptions=-Ddev.sluice.failpoint="
                        + job
                        + ":"
                        + step
                        + "@"
                        + marker),
                "spark-submit",
                command(job))
            .start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    while (!Files.exists(marker) && driver.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(marker)
        .as(
            "%s paused after %s: %s",
            job, step, Files.readString(dir.resolve("logs/" + job + ".err")))
        .exists();
    new ProcessBuilder("kill", "-9", Long.toString(driver.pid())).start().waitFor();
    assertThat(driver.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(driver.exitValue()).isEqualTo(128 + 9);
  }

  private List<String> command(String job) {
    return Stream.concat(
            Stream.of(job),
            Scripts.tinyJob(
                conf,
                lake,
                "--set",
                "sluice.train.estimators=[logistic-regression]",
                "--set",
                "sluice.train.folds=2",
                "--set",
                "sluice.promote.bootstrap.resamples=20")
                .stream())
        .toList();
  }

  private List<String> promote() {
    return command("promote");
  }

  @Test
  void trainAndPromoteKilledBetweenTheirStepsFinishOnceWhenRunAgain() throws Exception {
    conf = TinyDataset.write(dir.resolve("data"), ROWS);
    lake = dir.resolve("lake");
    new IngestJob(spark, IngestSettings.from(settings())).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings())).run();

    killAfter("train", "baseline");
    long baselines = rows("model_baselines", "model_version = 1");
    assertThat(baselines).as("baselines written before the kill").isPositive();
    assertThat(rows("model_registry", "true")).as("nothing registered").isZero();
    new TrainJob(spark, TrainSettings.from(settings())).run();
    assertThat(rows("model_registry", "true")).isEqualTo(1);
    assertThat(rows("model_baselines", "model_version = 1")).isEqualTo(baselines);
    Registry registry =
        new Registry(new Lakehouse(spark, new LakehouseSettings(lake.toString(), "sluice")));
    assertThat(registry.aliases("tiny")).containsExactly(Map.entry(Registry.CHALLENGER, 1L));

    killAfter("promote", "log-decision");
    assertThat(rows("promotion_log", "verdict = 'PROMOTED'")).isEqualTo(1);
    assertThat(registry.alias("tiny", Registry.CHAMPION)).isEmpty();
    // The same command again (its decision key holds its settings, so the same ones).
    Scripts.Result again =
        Scripts.run(dir.resolve("logs"), "promote-again", Map.of(), "spark-submit", promote());
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(registry.aliases("tiny")).containsExactly(Map.entry(Registry.CHAMPION, 1L));
    assertThat(rows("promotion_log", "true")).isEqualTo(1);
    assertThat(rows("alias_log", "alias = 'champion'")).isEqualTo(1);
    assertThat(List.of(rows("model_registry", "true"))).containsExactly(1L);
  }
}
