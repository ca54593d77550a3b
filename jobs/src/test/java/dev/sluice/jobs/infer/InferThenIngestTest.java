package dev.sluice.jobs.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.InferSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.SettingsLoader;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.features.FeaturesResult;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.ingest.IngestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file infer writes runs ingest and features unchanged: every sampled row is accepted. */
class InferThenIngestTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void theDraftIngestsEveryRowItWasInferredFromAndBuildsASnapshot() throws IOException {
    // 40 rows: row i has x.box i % 7, "y box" i / 8 or "?" when i % 10 is 0, a colour, and class
    // b when i % 5 is 0, else a.
    String[] colours = {"red", "green", "blue", "grey"};
    Path file = dir.resolve("boxes.csv");
    Files.writeString(
        file,
        "x.box,y box,colour,class\n"
            + IntStream.rangeClosed(1, 40)
                .mapToObj(
                    i ->
                        (i % 7)
                            + ","
                            + (i % 10 == 0 ? "?" : String.valueOf(i / 8.0))
                            + ","
                            + colours[i % 4]
                            + ","
                            + (i % 5 == 0 ? "b" : "a"))
                .collect(Collectors.joining("\n", "", "\n")));
    Path conf = dir.resolve("boxes.conf");
    new InferJob(
            spark.sparkContext().hadoopConfiguration(),
            InferSettings.load(
                new String[] {
                  file.toString(),
                  "--label",
                  "class",
                  "--name",
                  "boxes",
                  "--output",
                  conf.toString()
                }))
        .run();
    String[] args = {
      "--config", conf.toString(), "--set", "sluice.lakehouse.root=" + dir.resolve("lake")
    };

    IngestResult ingested =
        new IngestJob(
                spark, IngestSettings.from(SettingsLoader.load(args, IngestSettings.FLAGS, "test")))
            .run();
    FeaturesResult features =
        new FeaturesJob(
                spark,
                FeaturesSettings.from(SettingsLoader.load(args, FeaturesSettings.FLAGS, "test")))
            .run();

    assertThat(ingested.accepted()).isEqualTo(40);
    assertThat(ingested.quarantined()).isZero();
    assertThat(ingested.skipped()).containsOnly(Map.entry("HEADER", 1L));
    assertThat(
            spark
                .sql(
                    "SELECT count(*), count(y_box), count(DISTINCT colour) FROM delta.`"
                        + dir.resolve("lake/boxes_raw")
                        + "`")
                .first()
                .toString())
        .isEqualTo("[40,36,4]");
    assertThat(features.rowsBySplit().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(40);
  }
}
