package dev.sluice.jobs.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.ReproduceSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.reproduce.ReproduceJob;
import dev.sluice.jobs.reproduce.ReproduceResult;
import dev.sluice.jobs.train.TrainJob;
import dev.sluice.jobs.train.TrainTestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproduceJobTest extends SparkTestBase {
  @TempDir Path dir;

  private LoadedSettings settings(Map<String, String> overrides) throws IOException {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    sets.put("sluice.train.estimators", "[random-forest]");
    return TestSpecs.load(TrainTestData.spec(dir, TaskType.BINARY), sets);
  }

  @Test
  void aRegisteredVersionReproducesAndAChangedSnapshotDoesNot() throws IOException {
    new IngestJob(spark, IngestSettings.from(settings(Map.of()))).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings(Map.of()))).run();
    new TrainJob(spark, TrainSettings.from(settings(Map.of()))).run();

    ReproduceResult same =
        new ReproduceJob(spark, ReproduceSettings.from(settings(Map.of()))).run();
    assertThat(same.match()).isTrue();
    assertThat(same.maxAbsDifference()).isZero();
    assertThat(same.exitCode()).isZero();

    // Rebuild the snapshot with another split seed: version 1 now holds other rows in each split.
    FileUtils.deleteDirectory(dir.resolve("lake/gen_snapshot").toFile());
    new FeaturesJob(
            spark, FeaturesSettings.from(settings(Map.of("sluice.features.split.seed", "99"))))
        .run();
    ReproduceResult changed =
        new ReproduceJob(spark, ReproduceSettings.from(settings(Map.of()))).run();
    assertThat(changed.match()).isFalse();
    assertThat(changed.differences()).isNotEmpty();
    assertThat(changed.exitCode()).isEqualTo(ReproduceResult.MISMATCH_EXIT_CODE);
    assertThat(
            spark
                .read()
                .format("delta")
                .load(dir.resolve("lake/reproducibility_checks").toString())
                .orderBy("checked_at")
                .select("status")
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("MATCH", "MISMATCH");
  }
}
