package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.DecideSettings;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.MonitorSettings;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.ScoreSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.decide.DecideJob;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.monitor.MonitorJob;
import dev.sluice.jobs.promote.PromoteJob;
import dev.sluice.jobs.score.ScoreJob;
import dev.sluice.jobs.train.TrainJob;
import dev.sluice.jobs.train.TrainTestData;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2: the whole chain run twice with the same inputs. Pass: every data table keeps its
 * version and content (count and hash); only the run logs (job_runs, and the promotion log that
 * records each verdict) grow, while decide repeats no decision on the same evidence; one model
 * version, one champion alias change.
 */
class RerunIT extends SparkTestBase {
  /** Logs that record every run, by design. */
  private static final Set<String> RUN_LOGS = Set.of("job_runs", "promotion_log");

  @TempDir Path dir;

  private LoadedSettings settings() throws Exception {
    Map<String, String> sets = new HashMap<>();
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    sets.put("sluice.train.estimators", "[logistic-regression]");
    sets.put("sluice.train.grids.logistic-regression", "{regParam = [0.0], maxIter = [30]}");
    sets.put("sluice.promote.bootstrap.resamples", "50");
    sets.put("sluice.score.source", "train");
    return TestSpecs.load(TrainTestData.spec(dir, TaskType.BINARY), sets);
  }

  /** Runs every job, each with the session {@code sessions} gives it by job name. */
  private void chain(Function<String, JobSession> sessions) throws Exception {
    new IngestJob(sessions.apply("ingest"), IngestSettings.from(settings())).run();
    new FeaturesJob(sessions.apply("features"), FeaturesSettings.from(settings())).run();
    new TrainJob(sessions.apply("train"), TrainSettings.from(settings())).run();
    new PromoteJob(sessions.apply("promote"), PromoteSettings.from(settings())).run();
    new ScoreJob(sessions.apply("score"), ScoreSettings.from(settings())).run();
    new MonitorJob(sessions.apply("monitor"), MonitorSettings.from(settings())).run();
    new DecideJob(sessions.apply("decide"), DecideSettings.from(settings())).run();
  }

  private Map<String, String> state(Lakehouse lakehouse) {
    Map<String, String> state = new TreeMap<>();
    for (String table : lakehouse.tables()) {
      Dataset<Row> rows = lakehouse.read(table);
      state.put(
          table,
          "v" + lakehouse.version(table).getAsLong() + " " + Fingerprint.of(rows, rows.columns()));
    }
    return state;
  }

  private long count(Lakehouse lakehouse, String table, String where) {
    return lakehouse.read(table).where(where).count();
  }

  @Test
  void aSecondRunOfEveryJobChangesNoDataTable() throws Exception {
    Lakehouse lakehouse =
        new Lakehouse(spark, new LakehouseSettings(dir.resolve("lake").toString(), "sluice"));
    chain(job -> JobSession.of(spark));
    Map<String, String> first = state(lakehouse);
    assertThat(first)
        .containsKeys(
            "gen_raw", "gen_snapshot", "model_registry", "alias_log", "predictions", "job_runs");
    long runsAfterFirst = lakehouse.read("job_runs").count();

    // Each job's session starts only when the job needs Spark: a job with nothing to do finds that
    // out from the tables' logs, and records its run, without it.
    Set<String> started = new TreeSet<>();
    chain(
        job ->
            JobSession.onFirstUse(
                spark.sparkContext().getConf(),
                () -> {
                  started.add(job);
                  return spark;
                }));
    Map<String, String> second = state(lakehouse);
    assertThat(started).isEmpty();

    assertThat(second.keySet()).isEqualTo(first.keySet());
    Map<String, String> changed = new TreeMap<>(second);
    changed.entrySet().removeIf(e -> e.getValue().equals(first.get(e.getKey())));
    assertThat(RUN_LOGS).containsAll(changed.keySet());
    assertThat(changed).containsKey("job_runs");

    assertThat(count(lakehouse, "model_registry", "true")).isEqualTo(1);
    assertThat(count(lakehouse, "alias_log", "alias = 'champion'")).isEqualTo(1);
    assertThat(lakehouse.read("gen_raw").select("row_id").distinct().count())
        .isEqualTo(lakehouse.read("gen_raw").count())
        .isEqualTo(TrainTestData.ROWS);
    Dataset<Row> predictions = lakehouse.read("predictions");
    assertThat(predictions.select("row_id", "model_version").distinct().count())
        .isEqualTo(predictions.count());
    List<Row> secondRuns =
        lakehouse
            .read("job_runs")
            .orderBy("started_at")
            .offset((int) runsAfterFirst)
            .select("job", "status", "app_id")
            .collectAsList();
    assertThat(secondRuns).hasSize(7);
    assertThat(secondRuns).extracting(r -> r.getString(1)).doesNotContain("FAILED");
    for (Row run : secondRuns) {
      assertThat(run.getString(2))
          .as("app id of the second %s", run.getString(0))
          .isEqualTo(
              started.contains(run.getString(0))
                  ? spark.sparkContext().applicationId()
                  : JobRun.NO_APPLICATION);
    }
  }
}
