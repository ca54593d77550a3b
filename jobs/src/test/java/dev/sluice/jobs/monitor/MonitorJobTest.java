package dev.sluice.jobs.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.MonitorSettings;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.ScoreSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.ingest.IngestResult;
import dev.sluice.jobs.promote.PromoteJob;
import dev.sluice.jobs.score.ScoreJob;
import dev.sluice.jobs.train.GeneratedData;
import dev.sluice.jobs.train.TrainJob;
import dev.sluice.jobs.train.TrainTestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorJobTest extends SparkTestBase {
  @TempDir Path dir;

  private LoadedSettings settings(Map<String, String> overrides) throws IOException {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    sets.put("sluice.train.estimators", "[logistic-regression]");
    sets.put("sluice.train.grids.logistic-regression", "{regParam = [0.01], maxIter = [50]}");
    return TestSpecs.load(TrainTestData.spec(dir, TaskType.BINARY), sets);
  }

  private String ingestAndScore(String name, double x1Shift, double aFirst, long seed)
      throws IOException {
    Path file = dir.resolve(name + ".csv");
    GeneratedData.write(file, TaskType.BINARY, 1000, seed, x1Shift, aFirst);
    Map<String, String> batch =
        Map.of("sluice.ingest.files", "[\"" + file + "\"]", "sluice.ingest.source", name);
    IngestResult ingested = new IngestJob(spark, IngestSettings.from(settings(batch))).run();
    new ScoreJob(
            spark,
            ScoreSettings.from(settings(Map.of("sluice.score.batch-id", ingested.batchId()))))
        .run();
    return ingested.batchId();
  }

  @Test
  void exactlyTheShiftedNumericAndCategoricalFeaturesAreFlagged() throws IOException {
    new IngestJob(spark, IngestSettings.from(settings(Map.of()))).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings(Map.of()))).run();
    new TrainJob(spark, TrainSettings.from(settings(Map.of()))).run();
    new PromoteJob(spark, PromoteSettings.from(settings(Map.of()))).run();

    ingestAndScore("same", 0.0, 0.0, 21);
    // +1 standard deviation on x1; level "a" from 23.75% to 43.75% of c.
    ingestAndScore("shifted", 1.0, 0.262, 22);
    MonitorJob.MonitorResult result =
        new MonitorJob(spark, MonitorSettings.from(settings(Map.of()))).run();

    List<List<String>> features =
        result.drifted().values().stream()
            .map(flagged -> flagged.stream().filter(f -> !f.equals(Baseline.PREDICTION)).toList())
            .toList();
    assertThat(features).containsExactly(List.of(), List.of("x1", "c"));

    // Every row carries both histograms; the window's counts add up to its rows.
    assertThat(
            spark
                .read()
                .format("delta")
                .load(dir.resolve("lake/drift_metrics").toString())
                .where("method = 'psi'")
                .selectExpr(
                    "aggregate(window_counts, 0L, (a, b) -> a + b) = window_rows",
                    "size(bins) = size(baseline_counts)")
                .distinct()
                .collectAsList())
        .extracting(Object::toString)
        .containsExactly("[true,true]");

    MonitorJob.MonitorResult again =
        new MonitorJob(spark, MonitorSettings.from(settings(Map.of()))).run();
    assertThat(again.drifted()).isEmpty();
  }
}
