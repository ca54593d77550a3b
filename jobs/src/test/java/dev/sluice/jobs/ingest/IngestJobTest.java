package dev.sluice.jobs.ingest;

import static org.apache.spark.sql.functions.max;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.SluiceException;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.TableSpec;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.table.LakehouseTables;
import dev.sluice.common.testing.FileStatistics;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestLakehouses;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.features.FeaturesResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest extends SparkTestBase {
  /** Two good rows, one of each bad kind, a junk line and a blank line: 9 lines in all. */
  private static final String MALFORMED =
      String.join(
                  "\n",
                  "|junk first line",
                  "39, State-gov, 40, Male, <=50K",
                  "50, ?, 13.5, Female, >50K.",
                  "38, Private, 40, Male",
                  "abc, Private, 40, Male, <=50K",
                  "28, Private, 40, Female, maybe",
                  "37, Private, 40, Female, ?",
                  "130, Private, x, Robot, <=50K",
                  "",
                  "")
              .stripTrailing()
          + "\n\n";

  /** Every bad row allowed: {@link #MALFORMED} is ingested, its bad rows quarantined. */
  private static final Map<String, String> ANY_RATE =
      Map.of("sluice.ingest.quarantine.max-rate", "1.0");

  /**
   * {@link #MALFORMED} ingested once with {@link #ANY_RATE}: the tests that start from that batch
   * read a copy of its lakehouse.
   */
  @TempDir static Path malformed;

  private static Path malformedFile;
  private static IngestResult malformedResult;

  @TempDir Path dir;

  private static IngestSettings settings(Path root, Path file, Map<String, String> overrides) {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", root.resolve("lake").toString());
    sets.put("sluice.ingest.files", "[\"" + file + "\"]");
    return IngestSettings.from(TestSpecs.load(TestSpecs.TINY, sets));
  }

  private IngestSettings settings(Path file, Map<String, String> overrides) {
    return settings(dir, file, overrides);
  }

  @BeforeAll
  static void ingestMalformedOnce() throws IOException {
    malformedFile = malformed.resolve("batch.csv");
    Files.writeString(malformedFile, MALFORMED);
    malformedResult = new IngestJob(spark, settings(malformed, malformedFile, ANY_RATE)).run();
  }

  /** This test's own copy of the lakehouse {@link #MALFORMED} was ingested into. */
  private void copyMalformed() {
    TestLakehouses.copy(malformed.resolve("lake"), dir.resolve("lake"));
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private List<Row> sql(String query) {
    return spark.sql(query).collectAsList();
  }

  private String table(String name) {
    return "delta.`" + dir.resolve("lake").resolve(name) + "`";
  }

  @Test
  void everyBadRowLandsInQuarantineWithItsReasonAndTheInvariantHolds() throws IOException {
    copyMalformed();
    Path file = malformedFile;
    IngestResult result = malformedResult;

    assertThat(result.linesRead()).isEqualTo(9);
    assertThat(result.accepted()).isEqualTo(2);
    assertThat(result.quarantined()).isEqualTo(5);
    assertThat(result.skipped()).containsOnly(Map.entry("BLANK", 1L), Map.entry("COMMENT", 1L));
    assertThat(result.accepted() + result.quarantined() + result.skippedTotal())
        .isEqualTo(result.linesRead());
    assertThat(result.reasons())
        .containsOnly(
            Map.entry("FIELD_COUNT", 1L),
            Map.entry("TYPE_MISMATCH:age", 1L),
            Map.entry("UNKNOWN_LABEL", 1L),
            Map.entry("MISSING_LABEL", 1L),
            Map.entry("OUT_OF_RANGE:age", 1L),
            Map.entry("TYPE_MISMATCH:hours", 1L),
            Map.entry("UNKNOWN_VALUE:sex", 1L));

    assertThat(
            sql(
                "SELECT line_number, reasons, raw_line FROM "
                    + table("quarantine")
                    + " ORDER BY line_number"))
        .extracting(Row::toString)
        .containsExactly(
            "[4,ArraySeq(FIELD_COUNT),38, Private, 40, Male]",
            "[5,ArraySeq(TYPE_MISMATCH:age),abc, Private, 40, Male, <=50K]",
            "[6,ArraySeq(UNKNOWN_LABEL),28, Private, 40, Female, maybe]",
            "[7,ArraySeq(MISSING_LABEL),37, Private, 40, Female, ?]",
            "[8,ArraySeq(OUT_OF_RANGE:age, TYPE_MISMATCH:hours, UNKNOWN_VALUE:sex),130, Private, x, Robot, <=50K]");
    assertThat(sql("SELECT DISTINCT dataset, source_file FROM " + table("quarantine")))
        .extracting(Row::toString)
        .containsExactly("[tiny," + file.toUri().toString().replace("file:///", "file:/") + "]");

    assertThat(
            sql(
                "SELECT age, workclass, hours, sex, income, line_number FROM "
                    + table("tiny_raw")
                    + " ORDER BY line_number"))
        .extracting(Row::toString)
        .containsExactly("[39,State-gov,40.0,Male,<=50K,2]", "[50,null,13.5,Female,>50K.,3]");
    assertThat(sql("SELECT row_id, batch_id FROM " + table("tiny_raw")))
        .allSatisfy(
            row -> {
              assertThat(row.getString(0)).matches("[0-9a-f]{12}-[23]");
              assertThat(row.getString(1)).isEqualTo(result.batchId());
            });
  }

  @Test
  void profileOfTheAcceptedRows() throws IOException {
    copyMalformed();

    Row age =
        sql("SELECT row_count, null_count, distinct_count, min, max, mean, stddev, quantiles[2].value FROM "
                + table("data_profiles")
                + " WHERE column_name = 'age'")
            .get(0);
    assertThat(age.getLong(0)).isEqualTo(2);
    assertThat(age.getLong(1)).isZero();
    assertThat(age.getLong(2)).isEqualTo(2);
    assertThat(age.getDouble(3)).isEqualTo(39.0);
    assertThat(age.getDouble(4)).isEqualTo(50.0);
    assertThat(age.getDouble(5)).isEqualTo(44.5);
    // Sample standard deviation of {39, 50}: sqrt((5.5^2 + 5.5^2) / 1).
    assertThat(age.getDouble(6)).isCloseTo(Math.sqrt(60.5), within(1e-12));
    // The median of two values is the lower one for percentile_approx.
    assertThat(age.getDouble(7)).isEqualTo(39.0);

    assertThat(
            sql(
                "SELECT column_name, null_count, distinct_count, top_values FROM "
                    + table("data_profiles")
                    + " WHERE column_name IN ('workclass', 'income') ORDER BY column_name"))
        .extracting(Row::toString)
        // Distinct counts of columns with top values are their non-null groups: the null is none.
        .containsExactly(
            "[income,0,2,ArraySeq([<=50K,1], [>50K.,1])]",
            "[workclass,1,1,ArraySeq([State-gov,1], [null,1])]");
  }

  @Test
  void aBatchWithEveryRowQuarantinedIsProfiledAsEmpty() throws IOException {
    Path file =
        write("batch.csv", "abc, Private, 40, Male, <=50K\n130, Private, x, Robot, <=50K\n");
    IngestResult result =
        new IngestJob(spark, settings(file, Map.of("sluice.ingest.quarantine.max-rate", "1.0")))
            .run();

    assertThat(result.accepted()).isZero();
    assertThat(result.quarantined()).isEqualTo(2);
    assertThat(
            sql(
                "SELECT column_name, row_count, null_count, distinct_count, min, top_values FROM "
                    + table("data_profiles")
                    + " WHERE column_name IN ('age', 'workclass') ORDER BY column_name"))
        .extracting(Row::toString)
        .containsExactly("[age,0,0,0,null,null]", "[workclass,0,0,0,null,ArraySeq()]");
  }

  @Test
  void reIngestingTheSameBatchAddsNothing() throws IOException {
    copyMalformed();
    IngestResult first = malformedResult;
    IngestResult second = new IngestJob(spark, settings(malformedFile, ANY_RATE)).run();

    assertThat(second.alreadyIngested()).isTrue();
    assertThat(second.batchId()).isEqualTo(first.batchId());
    assertThat(second.rawVersion()).isEmpty();
    assertThat(sql("SELECT count(*) FROM " + table("tiny_raw")).get(0).getLong(0)).isEqualTo(2);
    assertThat(sql("SELECT count(*) FROM " + table("quarantine")).get(0).getLong(0)).isEqualTo(5);
    assertThat(sql("SELECT count(*) FROM " + table("data_profiles")).get(0).getLong(0))
        .isEqualTo(5);
    assertThat(
            spark
                .sql("DESCRIBE HISTORY " + table("tiny_raw"))
                .agg(max("version"))
                .first()
                .getLong(0))
        .isEqualTo(first.rawVersion().getAsLong());
    assertThat(sql("SELECT status FROM " + table("job_runs") + " ORDER BY started_at"))
        .extracting(r -> r.getString(0))
        .containsExactly("SUCCEEDED", "SKIPPED");

    // The raw files keep Delta's statistics of the lineage columns only, and their row counts.
    FileStatistics.Delta delta = FileStatistics.delta(dir.resolve("lake/tiny_raw"));
    assertThat(delta.rows()).isEqualTo(2);
    assertThat(delta.columns()).containsExactlyInAnyOrderElementsOf(IngestJob.RAW_STATS_COLUMNS);
    // Parquet's own statistics: on for the data columns, off for the lineage columns that Delta's
    // file statistics cover.
    Map<String, Boolean> parquetStats = FileStatistics.parquet(dir.resolve("lake/tiny_raw"));
    assertThat(parquetStats).containsEntry("age", true).containsEntry("workclass", true);
    for (String lineage : IngestJob.RAW_STATS_COLUMNS) {
      assertThat(parquetStats).as(lineage).containsEntry(lineage, false);
    }
  }

  @Test
  void aChangedFileUnderTheSameNameIsANewBatch() throws IOException {
    Path file = write("batch.csv", "39, State-gov, 40, Male, <=50K\n");
    IngestResult first = new IngestJob(spark, settings(file, Map.of())).run();
    write("batch.csv", "39, State-gov, 40, Male, <=50K\n41, Private, 20, Female, >50K\n");
    IngestResult second = new IngestJob(spark, settings(file, Map.of())).run();

    assertThat(second.batchId()).isNotEqualTo(first.batchId());
    assertThat(second.accepted()).isEqualTo(2);
    assertThat(
            sql("SELECT count(*), count(DISTINCT row_id) FROM " + table("tiny_raw"))
                .get(0)
                .toString())
        .isEqualTo("[3,3]");
  }

  @Test
  void aBatchAboveTheQuarantineThresholdWritesNothing() throws IOException {
    Path file = write("batch.csv", MALFORMED);
    assertThatThrownBy(() -> new IngestJob(spark, settings(file, Map.of())).run())
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Rejected batch ")
        .hasMessageContaining(
            "5 of 7 data rows (71.43%) failed validation, above the allowed 5.00%")
        .hasMessageContaining("FIELD_COUNT=1");
    assertThat(Files.exists(dir.resolve("lake/tiny_raw"))).isFalse();
    assertThat(Files.exists(dir.resolve("lake/quarantine"))).isFalse();
    assertThat(sql("SELECT status, error FROM " + table("job_runs")).get(0).getString(0))
        .isEqualTo("FAILED");
  }

  @Test
  void theFirstBatchThatLandsCreatesEveryTableAUserMayQueryEmptyWithItsSpec() throws IOException {
    // A rejected batch leaves only its failed run: a first batch that lands after it creates the
    // rest, and leaves job_runs as it was but for its own run.
    Path rejected = write("rejected.csv", MALFORMED);
    assertThatThrownBy(() -> new IngestJob(spark, settings(rejected, Map.of())).run())
        .hasMessageStartingWith("Rejected batch ");
    Lakehouse lakehouse =
        new Lakehouse(spark, new LakehouseSettings(dir.resolve("lake").toString(), "sluice"));
    assertThat(lakehouse.tables()).containsExactly("job_runs");
    assertThat(lakehouse.version("job_runs")).hasValue(1);

    Path clean = write("clean.csv", "39, State-gov, 40, Male, <=50K\n");
    IngestSettings settings = settings(clean, Map.of());
    IngestResult result = new IngestJob(spark, settings).run();

    assertThat(result.accepted()).isEqualTo(1);
    assertThat(lakehouse.tables())
        .containsExactly(
            "alias_log",
            "cv_results",
            "data_profiles",
            "drift_metrics",
            "fairness_metrics",
            "feature_importance",
            "job_runs",
            "model_baselines",
            "model_metrics",
            "model_registry",
            "performance_metrics",
            "predictions",
            "promotion_log",
            "quarantine",
            "reproducibility_checks",
            "retrain_decisions",
            "tiny_labels",
            "tiny_raw");
    List<TableSpec> specs = LakehouseTables.of(settings.data(), settings.labels());
    assertThat(specs)
        .extracting(TableSpec::name)
        .containsExactlyInAnyOrderElementsOf(lakehouse.tables());
    Map<String, Long> written = Map.of("tiny_raw", 1L, "data_profiles", 5L, "job_runs", 2L);
    for (TableSpec spec : specs) {
      String name = spec.name();
      assertThat(lakehouse.read(name).count()).as(name).isEqualTo(written.getOrDefault(name, 0L));
      assertThat(lakehouse.read(name).schema()).as(name).isEqualTo(spec.schema());
      Row detail = sql("DESCRIBE DETAIL " + table(name)).get(0);
      assertThat(detail.<String>getAs("description")).as(name).isEqualTo(spec.comment());
      assertThat(detail.<String>getList(detail.fieldIndex("partitionColumns")))
          .as(name)
          .isEqualTo(spec.partitionColumns());
      assertThat(lakehouse.hasData(name)).as(name).isEqualTo(written.containsKey(name));
      if (!written.containsKey(name)) {
        assertThat(lakehouse.version(name)).as(name).hasValue(0);
      }
    }
    assertThat(lakehouse.version("job_runs")).hasValue(2);

    // A later batch creates nothing: the empty tables keep their version 0.
    Path more = write("more.csv", "41, Private, 20, Female, >50K\n");
    new IngestJob(spark, settings(more, Map.of())).run();
    for (TableSpec spec : specs) {
      if (!written.containsKey(spec.name())) {
        assertThat(lakehouse.version(spec.name())).as(spec.name()).hasValue(0);
      }
    }
  }

  @Test
  void failFastRejectsAnyBadRow() throws IOException {
    Path file = write("batch.csv", "39, State-gov, 40, Male, <=50K\n38, Private, 40, Male\n");
    assertThatThrownBy(
            () ->
                new IngestJob(
                        spark,
                        settings(
                            file,
                            Map.of(
                                "sluice.ingest.quarantine.policy", "fail-fast",
                                "sluice.ingest.quarantine.max-rate", "1.0")))
                    .run())
        .hasMessageStartingWith("Rejected batch ")
        .hasMessageContaining("1 of 2 data rows");
  }

  @Test
  void aFileWithMoreColumnsThanTheSpecIsRejectedBeforeReading() throws IOException {
    Path file = write("batch.csv", "39, State-gov, 40, Male, <=50K, extra\n");
    assertThatThrownBy(() -> new IngestJob(spark, settings(file, Map.of())).run())
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Cannot ingest " + file.toUri().toString().replace("file:///", "file:/"))
        .hasMessageContaining(
            "its first data line has 6 fields but the data-set spec declares 5 columns");
    assertThat(Files.exists(dir.resolve("lake/tiny_raw"))).isFalse();
  }

  @Test
  void aHeaderThatDoesNotMatchTheSpecIsRejected() throws IOException {
    Path file =
        write(
            "batch.csv", "age, workclass, hours, gender, income\n39, State-gov, 40, Male, <=50K\n");
    assertThatThrownBy(
            () ->
                new IngestJob(spark, settings(file, Map.of("sluice.dataset.csv.header", "true")))
                    .run())
        .hasMessageContaining(
            "its header names the columns [age, workclass, hours, gender, income]");
  }

  @Test
  void aHeaderIsSkippedAndCounted() throws IOException {
    Path file =
        write("batch.csv", "age, workclass, hours, sex, income\n39, State-gov, 40, Male, <=50K\n");
    IngestResult result =
        new IngestJob(spark, settings(file, Map.of("sluice.dataset.csv.header", "true"))).run();
    assertThat(result.skipped()).containsOnly(Map.entry("HEADER", 1L));
    assertThat(result.accepted()).isEqualTo(1);
  }

  @Test
  void rowsToScoreComeWithoutLabelsAndNeverEnterATrainingSnapshot() throws IOException {
    Path labelled =
        write("train.csv", "39, State-gov, 40, Male, <=50K\n50, ?, 13.5, Female, >50K\n");
    new IngestJob(spark, settings(labelled, Map.of())).run();
    // Rows to score: one without the label column, one with a blank label, one labelled, one bad.
    Path toScore =
        write(
            "new.csv",
            "41, Private, 38, Female\n29, Private, 45, Male, ?\n60, Private, 20, Male, >50K\n"
                + "41, Private, 38, Robot\n");
    IngestResult result =
        new IngestJob(
                spark,
                settings(
                    toScore,
                    Map.of(
                        "sluice.ingest.kind", "unlabelled",
                        "sluice.ingest.quarantine.max-rate", "1.0")))
            .run();
    assertThat(result.accepted()).isEqualTo(3);
    assertThat(result.quarantined()).isEqualTo(1);
    assertThat(result.reasons()).containsOnly(Map.entry("UNKNOWN_VALUE:sex", 1L));
    assertThat(
            sql("SELECT age, income FROM " + table("tiny_raw") + " ORDER BY age").stream()
                .map(Row::toString))
        .containsExactly("[29,null]", "[39,<=50K]", "[41,null]", "[50,>50K]", "[60,>50K]");

    // The same lines as training data: a missing label is a quarantine, never a null label.
    Path asData = write("as-data.csv", "29, Private, 45, Male, ?\n41, Private, 38, Female\n");
    IngestResult strict =
        new IngestJob(spark, settings(asData, Map.of("sluice.ingest.quarantine.max-rate", "1.0")))
            .run();
    assertThat(strict.accepted()).isZero();
    assertThat(strict.reasons())
        .containsOnly(Map.entry("FIELD_COUNT", 1L), Map.entry("MISSING_LABEL", 1L));

    FeaturesResult features =
        new FeaturesJob(
                spark,
                FeaturesSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY,
                        Map.of("sluice.lakehouse.root", dir.resolve("lake").toString()))))
            .run();
    assertThat(features.rowsBySplit().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(3);
    assertThat(sql("SELECT count(*) FROM " + table("tiny_snapshot") + " WHERE income IS NULL"))
        .extracting(row -> row.getLong(0))
        .containsExactly(0L);
  }

  @Test
  void lateLabelsReachTheNextSnapshotAsOfTheLabelsVersionItRead() throws IOException {
    new IngestJob(spark, settings(write("train.csv", "39, State-gov, 40, Male, <=50K\n"), Map.of()))
        .run();
    new IngestJob(
            spark,
            settings(
                write(
                    "new.csv", "41, Private, 38, Female\n29, Private, 45, Male\n77, ?, 10, Male\n"),
                Map.of("sluice.ingest.kind", "unlabelled")))
        .run();
    assertThat(features(Map.of()).rowsBySplit().values()).containsExactly(1L);
    Map<Integer, String> ids = new HashMap<>();
    sql("SELECT age, row_id FROM " + table("tiny_raw") + " WHERE income IS NULL")
        .forEach(row -> ids.put(row.getInt(0), row.getString(1)));

    // The first labels file labels two of the three rows; the second corrects one and labels the
    // third.
    ingestLabels("labels-1.csv", ids.get(41) + ", >50K\n" + ids.get(29) + ", <=50K\n");
    FeaturesResult first = features(Map.of());
    assertThat(first.lateLabelledRows()).isEqualTo(2);
    long firstLabels = first.labelsVersion().getAsLong();
    assertThat(snapshotLabels())
        .containsExactly("[29,<=50K,<=50K,0.0]", "[39,<=50K,<=50K,0.0]", "[41,>50K,>50K,1.0]");
    ingestLabels("labels-2.csv", ids.get(29) + ", >50K.\n" + ids.get(77) + ", <=50K\n");
    FeaturesResult second = features(Map.of());
    assertThat(second.labelsVersion().getAsLong()).isGreaterThan(firstLabels);
    assertThat(second.lateLabelledRows()).isEqualTo(3);
    assertThat(snapshotLabels())
        .containsExactly(
            "[29,>50K,>50K,1.0]",
            "[39,<=50K,<=50K,0.0]",
            "[41,>50K,>50K,1.0]",
            "[77,<=50K,<=50K,0.0]");
    // The row labelled twice, differently, is counted as a conflict of the run.
    assertThat(
            sql("SELECT details['label_conflicts'] FROM "
                    + table("job_runs")
                    + " WHERE job = 'features' ORDER BY started_at DESC LIMIT 1")
                .get(0)
                .getString(0))
        .isEqualTo("1");

    // Pinned to the labels version the first build read, the snapshot is that build's again.
    FeaturesResult again =
        features(Map.of("sluice.features.labels-version", Long.toString(firstLabels)));
    assertThat(again.lateLabelledRows()).isEqualTo(2);
    assertThat(snapshotLabels())
        .containsExactly("[29,<=50K,<=50K,0.0]", "[39,<=50K,<=50K,0.0]", "[41,>50K,>50K,1.0]");
    // The run records the labels table version it read.
    assertThat(
            sql("SELECT input_versions['tiny_labels'] FROM "
                    + table("job_runs")
                    + " WHERE job = 'features' ORDER BY started_at DESC LIMIT 1")
                .get(0)
                .getLong(0))
        .isEqualTo(firstLabels);
    assertThatThrownBy(() -> features(Map.of("sluice.features.labels-version", "99")))
        .hasMessageContaining("Pass --labels-version");

    // A window of the newest batch keeps the late-labelled rows only.
    FeaturesResult windowed = features(Map.of("sluice.features.window.batches", "1"));
    assertThat(windowed.rowsBySplit().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(3);
  }

  @Test
  void theLandingFoldersNewFilesAreEachIngestedOnceInNameOrder() throws IOException {
    Path landing = dir.resolve("landing");
    Files.createDirectories(landing.resolve("batches"));
    Files.writeString(landing.resolve("batches/day-2.csv"), "29, Private, 45, Male\n");
    Files.writeString(landing.resolve("batches/day-1.csv"), "41, Private, 38, Female\n");
    Files.writeString(landing.resolve("batches/.day-3.csv.tmp"), "50, ?, 13.5, Female\n");
    Map<String, String> sets = new HashMap<>();
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    sets.put("sluice.dataset.landing", landing.toString());
    sets.put("sluice.ingest.from-landing", "true");
    sets.put("sluice.ingest.kind", "unlabelled");
    IngestSettings settings = IngestSettings.from(TestSpecs.load(TestSpecs.TINY, sets));
    JobSession session = JobSession.of(spark);

    LandingIngest.Result first = new LandingIngest(session, settings).run();
    assertThat(first.written())
        .extracting(batch -> Path.of(batch.files().get(0)).getFileName().toString())
        .containsExactly("day-1.csv", "day-2.csv");
    assertThat(new LandingIngest(session, settings).run().written()).isEmpty();
    Files.writeString(landing.resolve("batches/day-3.csv"), "50, ?, 13.5, Female\n");
    assertThat(new LandingIngest(session, settings).run().written()).hasSize(1);
    assertThat(
            sql("SELECT source, age FROM " + table("tiny_raw") + " ORDER BY age").stream()
                .map(Row::toString))
        .containsExactly("[landing,29]", "[landing,41]", "[landing,50]");
    // The labels folder is missing: nothing to ingest, no error.
    sets.put("sluice.ingest.kind", "labels");
    assertThat(
            new LandingIngest(session, IngestSettings.from(TestSpecs.load(TestSpecs.TINY, sets)))
                .run()
                .batches())
        .isEmpty();
  }

  private FeaturesResult features(Map<String, String> overrides) {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    return new FeaturesJob(spark, FeaturesSettings.from(TestSpecs.load(TestSpecs.TINY, sets)))
        .run();
  }

  private void ingestLabels(String name, String content) throws IOException {
    new IngestJob(spark, settings(write(name, content), Map.of("sluice.ingest.kind", "labels")))
        .run();
  }

  /** Age, label column, target class and target of the latest snapshot, by age. */
  private List<String> snapshotLabels() {
    return sql(
            "SELECT age, income, target_class, target FROM "
                + table("tiny_snapshot")
                + " ORDER BY age")
        .stream()
        .map(Row::toString)
        .toList();
  }

  @Test
  void aHeaderWithoutTheLabelIsAcceptedOnlyForRowsToScore() throws IOException {
    Path file = write("new.csv", "age, workclass, hours, sex\n41, Private, 38, Female\n");
    IngestResult result =
        new IngestJob(
                spark,
                settings(
                    file,
                    Map.of(
                        "sluice.dataset.csv.header", "true", "sluice.ingest.kind", "unlabelled")))
            .run();
    assertThat(result.accepted()).isEqualTo(1);
    Path asData = write("as-data.csv", "age, workclass, hours, sex\n29, Private, 45, Male\n");
    assertThatThrownBy(
            () ->
                new IngestJob(spark, settings(asData, Map.of("sluice.dataset.csv.header", "true")))
                    .run())
        .hasMessageContaining("its header names the columns [age, workclass, hours, sex]");
  }

  @Test
  void anEmptyFileWritesNothing() throws IOException {
    Path file = write("empty.csv", "");
    IngestResult result = new IngestJob(spark, settings(file, Map.of())).run();
    assertThat(result.linesRead()).isZero();
    assertThat(result.rawVersion()).isEmpty();
    assertThat(Files.exists(dir.resolve("lake/tiny_raw"))).isFalse();
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(
            () -> new IngestJob(spark, settings(dir.resolve("nope.csv"), Map.of())).run())
        .hasMessageStartingWith(
            "Cannot ingest source 'files': no file matches [" + dir.resolve("nope.csv") + "]");
  }

  @Test
  void headerNamesThatAreNotIdentifiersReachTheRawTableUnderTheirColumnNames() throws IOException {
    Path file = write("boxes.csv", "x.box,y box,class\n2,3.5,a\n4,,b\n");
    IngestSettings boxes =
        IngestSettings.from(
            TestSpecs.load(
                """
                sluice.dataset {
                  name = boxes
                  csv.header = true
                  sources { train = [] }
                  task = multiclass
                  label.classes = [a, b]
                  columns = [
                    { name = x_box, source-name = "x.box", role = numeric, type = int }
                    { name = y_box, source-name = "y box", role = numeric }
                    { name = class, role = label }
                  ]
                }
                """,
                Map.of(
                    "sluice.lakehouse.root",
                    dir.resolve("lake").toString(),
                    "sluice.ingest.files",
                    "[\"" + file + "\"]")));

    IngestResult result = new IngestJob(spark, boxes).run();

    assertThat(result.accepted()).isEqualTo(2);
    assertThat(result.skipped()).containsOnly(Map.entry("HEADER", 1L));
    assertThat(sql("SELECT x_box, y_box, class FROM " + table("boxes_raw") + " ORDER BY x_box"))
        .extracting(Row::toString)
        .containsExactly("[2,3.5,a]", "[4,null,b]");
    assertThat(
            sql("DESCRIBE TABLE " + table("boxes_raw")).stream()
                .limit(3)
                .map(row -> row.getString(0) + " | " + row.getString(1) + " | " + row.getString(2))
                .toList())
        .containsExactly(
            "x_box | int | Numeric feature of data set 'boxes' (int, may be null, source column"
                + " \"x.box\").",
            "y_box | double | Numeric feature of data set 'boxes' (double, may be null, source"
                + " column \"y box\").",
            "class | string | Label (as read, before suffixes are stripped) of data set 'boxes'"
                + " (string, may be null).");
  }
}
