package dev.sluice.common.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.TableSpec;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.testing.RowValues;
import dev.sluice.common.testing.SparkTestBase;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each table's row record: {@code toRow} gives the row written by hand in the table's column order,
 * and the record read back from that row is the record, both through Spark (the rows a query
 * collects) and through the table itself (Delta Kernel's write and read on the driver, the path the
 * small tables take). Empty optionals are nulls in the row and come back empty.
 */
class RowRecordsTest extends SparkTestBase {
  // Microseconds: the precision Spark and Delta keep.
  private static final Instant T1 = Instant.parse("2026-03-01T10:15:30.123456Z");
  private static final Instant T2 = Instant.parse("2026-03-02T00:00:00Z");

  @TempDir Path dir;

  @Test
  void jobRuns() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("batch_id", "b1");
    details.put("quarantined.FIELD_COUNT", "2");
    JobRunsTable.Entry failed =
        new JobRunsTable.Entry(
            "run-1",
            "ingest",
            Optional.of("tiny"),
            T1,
            T2,
            "FAILED",
            Optional.of("boom"),
            Map.of("tiny_raw", 3L),
            Map.of("tiny_raw", 4L, "quarantine", 1L),
            10,
            9,
            "app-1",
            "local[2]",
            "hash",
            100,
            80,
            5,
            6,
            1,
            details);
    JobRunsTable.Entry bare =
        new JobRunsTable.Entry(
            "run-2",
            "sql",
            Optional.empty(),
            T1,
            T1,
            "SUCCEEDED",
            Optional.empty(),
            Map.of(),
            Map.of(),
            0,
            0,
            "app-2",
            "local[2]",
            "hash",
            0,
            0,
            0,
            0,
            0,
            Map.of());
    assertRow(
        failed.toRow(),
        "run-1",
        "ingest",
        "tiny",
        Timestamp.from(T1),
        Timestamp.from(T2),
        "FAILED",
        "boom",
        Map.of("tiny_raw", 3L),
        Map.of("tiny_raw", 4L, "quarantine", 1L),
        10L,
        9L,
        "app-1",
        "local[2]",
        "hash",
        100L,
        80L,
        5L,
        6L,
        1L,
        Map.of("batch_id", "b1", "quarantined.FIELD_COUNT", "2"));
    assertThat(bare.toRow().isNullAt(JobRunsTable.SCHEMA.fieldIndex(JobRunsTable.DATASET)))
        .isTrue();
    assertThat(bare.toRow().isNullAt(JobRunsTable.SCHEMA.fieldIndex(JobRunsTable.ERROR))).isTrue();
    roundTrips(
        JobRunsTable.SPEC, JobRunsTable.Entry::toRow, JobRunsTable.Entry::from, failed, bare);
  }

  @Test
  void crossValidationAndModelMetrics() {
    CvResultsTable.Entry fold =
        new CvResultsTable.Entry(
            "run-1",
            "m",
            3,
            "gbt",
            2,
            Map.of("maxDepth", "5"),
            1,
            "areaUnderROC",
            0.75,
            80,
            20,
            1.5,
            T1);
    assertRow(
        fold.toRow(),
        "run-1",
        "m",
        3L,
        "gbt",
        2,
        Map.of("maxDepth", "5"),
        1,
        "areaUnderROC",
        0.75,
        80L,
        20L,
        1.5,
        Timestamp.from(T1));
    roundTrips(CvResultsTable.SPEC, CvResultsTable.Entry::toRow, CvResultsTable.Entry::from, fold);

    ModelMetricsTable.Entry metric =
        new ModelMetricsTable.Entry(
            "run-1", "m", 3, "gbt", Map.of("maxDepth", "5"), true, "test", "f1", 0.5, 2.5, T1);
    assertRow(
        metric.toRow(),
        "run-1",
        "m",
        3L,
        "gbt",
        Map.of("maxDepth", "5"),
        true,
        "test",
        "f1",
        0.5,
        2.5,
        Timestamp.from(T1));
    roundTrips(
        ModelMetricsTable.SPEC,
        ModelMetricsTable.Entry::toRow,
        ModelMetricsTable.Entry::from,
        metric);
  }

  @Test
  void aliasLog() {
    AliasLogTable.Entry moved =
        new AliasLogTable.Entry(
            "m", "champion", OptionalLong.of(2), OptionalLong.of(1), T1, "better", "run-1");
    AliasLogTable.Entry removed =
        new AliasLogTable.Entry(
            "m", "champion", OptionalLong.empty(), OptionalLong.empty(), T2, "retired", "run-2");
    assertRow(moved.toRow(), "m", "champion", 2L, 1L, Timestamp.from(T1), "better", "run-1");
    assertRow(removed.toRow(), "m", "champion", null, null, Timestamp.from(T2), "retired", "run-2");
    roundTrips(
        AliasLogTable.SPEC, AliasLogTable.Entry::toRow, AliasLogTable.Entry::from, moved, removed);
  }

  @Test
  void promotionLog() {
    Check guardrail = new Check("min_f1", 0.8, 0.5, true, "challenger");
    Check improvement = new Check("improvement_ci_low", -0.01, 0.0, false, "interval");
    PromotionLogTable.Entry judged =
        new PromotionLogTable.Entry(
            T1,
            "run-1",
            "m",
            3,
            OptionalLong.of(2),
            "enabled",
            "f1",
            OptionalDouble.of(0.8),
            OptionalDouble.of(0.79),
            OptionalDouble.of(-0.01),
            OptionalDouble.of(0.03),
            List.of(guardrail, improvement),
            "REJECTED",
            "failed: improvement_ci_low",
            100,
            Optional.of("m_snapshot"),
            OptionalLong.of(7),
            "promote/m/v3");
    PromotionLogTable.Entry disabled =
        new PromotionLogTable.Entry(
            T2,
            "run-2",
            "m",
            3,
            OptionalLong.empty(),
            "disabled",
            "f1",
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            List.of(),
            "DISABLED",
            "promotion is disabled",
            0,
            Optional.empty(),
            OptionalLong.empty(),
            "promote/m/v3/disabled");
    assertRow(
        judged.toRow(),
        Timestamp.from(T1),
        "run-1",
        "m",
        3L,
        2L,
        "enabled",
        "f1",
        0.8,
        0.79,
        -0.01,
        0.03,
        List.of(
            RowFactory.create("min_f1", 0.8, 0.5, true, "challenger"),
            RowFactory.create("improvement_ci_low", -0.01, 0.0, false, "interval")),
        "REJECTED",
        "failed: improvement_ci_low",
        100L,
        "m_snapshot",
        7L,
        "promote/m/v3");
    assertRow(
        disabled.toRow(),
        Timestamp.from(T2),
        "run-2",
        "m",
        3L,
        null,
        "disabled",
        "f1",
        null,
        null,
        null,
        null,
        List.of(),
        "DISABLED",
        "promotion is disabled",
        0L,
        null,
        null,
        "promote/m/v3/disabled");
    roundTrips(
        PromotionLogTable.SPEC,
        PromotionLogTable.Entry::toRow,
        PromotionLogTable.Entry::from,
        judged,
        disabled);
  }

  @Test
  void retrainDecisions() {
    RetrainDecisionsTable.Entry decision =
        new RetrainDecisionsTable.Entry(
            T1,
            "run-1",
            "m",
            2,
            "dry-run",
            List.of(
                new Check("drift", 3, 2, true, "age, hours"),
                new Check("age_days", 1, 30, false, "")),
            "RETRAIN",
            "drift");
    assertRow(
        decision.toRow(),
        Timestamp.from(T1),
        "run-1",
        "m",
        2L,
        "dry-run",
        List.of(
            RowFactory.create("drift", 3.0, 2.0, true, "age, hours"),
            RowFactory.create("age_days", 1.0, 30.0, false, "")),
        "RETRAIN",
        "drift");
    roundTrips(
        RetrainDecisionsTable.SPEC,
        RetrainDecisionsTable.Entry::toRow,
        RetrainDecisionsTable.Entry::from,
        decision);
  }

  @Test
  void reproducibilityChecks() {
    ReproducibilityChecksTable.Entry check =
        new ReproducibilityChecksTable.Entry(
            T1,
            "run-1",
            "m",
            3,
            "m_snapshot",
            7,
            "MISMATCH",
            1e-9,
            0.25,
            Map.of("f1", 0.5, "accuracy", 0.75),
            Map.of("f1", 0.75, "accuracy", 0.75),
            List.of("f1: recorded 0.5, reproduced 0.75"));
    assertRow(
        check.toRow(),
        Timestamp.from(T1),
        "run-1",
        "m",
        3L,
        "m_snapshot",
        7L,
        "MISMATCH",
        1e-9,
        0.25,
        Map.of("f1", 0.5, "accuracy", 0.75),
        Map.of("f1", 0.75, "accuracy", 0.75),
        List.of("f1: recorded 0.5, reproduced 0.75"));
    roundTrips(
        ReproducibilityChecksTable.SPEC,
        ReproducibilityChecksTable.Entry::toRow,
        ReproducibilityChecksTable.Entry::from,
        check);
  }

  @Test
  void modelBaselines() {
    ModelBaselinesTable.Entry numeric =
        new ModelBaselinesTable.Entry(
            "m",
            3,
            "age",
            ModelBaselinesTable.NUMERIC,
            List.of(30.0, 40.0),
            List.of(),
            List.of(1L, 2L, 3L, 4L),
            10,
            T1);
    ModelBaselinesTable.Entry categorical =
        new ModelBaselinesTable.Entry(
            "m",
            3,
            "sex",
            ModelBaselinesTable.CATEGORICAL,
            List.of(),
            List.of("Female", "Male"),
            List.of(5L, 4L, 0L, 1L),
            10,
            T1);
    assertRow(
        numeric.toRow(),
        "m",
        3L,
        "age",
        "numeric",
        List.of(30.0, 40.0),
        List.of(),
        List.of(1L, 2L, 3L, 4L),
        10L,
        Timestamp.from(T1));
    roundTrips(
        ModelBaselinesTable.SPEC,
        ModelBaselinesTable.Entry::toRow,
        ModelBaselinesTable.Entry::from,
        numeric,
        categorical);
  }

  @Test
  void featureImportance() {
    FeatureImportanceTable.Entry gain =
        new FeatureImportanceTable.Entry(
            "run-1", "m", 3, FeatureImportanceTable.GAIN, "age", 0.75, 1, T1);
    FeatureImportanceTable.Entry permutation =
        new FeatureImportanceTable.Entry(
            "run-2", "m", 3, FeatureImportanceTable.PERMUTATION, "sex", -0.125, 2, T2);
    assertRow(gain.toRow(), "run-1", "m", 3L, "gain", "age", 0.75, 1, Timestamp.from(T1));
    roundTrips(
        FeatureImportanceTable.SPEC,
        FeatureImportanceTable.Entry::toRow,
        FeatureImportanceTable.Entry::from,
        gain,
        permutation);
  }

  @Test
  void driftMetrics() {
    DriftMetricsTable.Entry againstBaseline =
        new DriftMetricsTable.Entry(
            "m",
            3,
            "window-1",
            T1,
            DriftMetricsTable.REFERENCE_BASELINE,
            Optional.empty(),
            "age",
            "numeric",
            "psi",
            Map.of("epsilon", "1.0E-4"),
            10,
            12,
            0.3,
            OptionalDouble.of(0.2),
            "DRIFT",
            true,
            List.of("[-inf, 30.0)", "[30.0, +inf)", "__null__"),
            List.of(4L, 6L, 0L),
            List.of(10L, 2L, 0L),
            T2,
            "run-1");
    DriftMetricsTable.Entry againstPrevious =
        new DriftMetricsTable.Entry(
            "m",
            3,
            "window-2",
            T2,
            DriftMetricsTable.REFERENCE_PREVIOUS_WINDOW,
            Optional.of("window-1"),
            "sex",
            "categorical",
            "jensen_shannon",
            Map.of(),
            12,
            8,
            0.01,
            OptionalDouble.empty(),
            "OK",
            false,
            List.of("Female", "__other__", "__null__"),
            List.of(6L, 6L, 0L),
            List.of(4L, 4L, 0L),
            T2,
            "run-2");
    assertRow(
        againstBaseline.toRow(),
        "m",
        3L,
        "window-1",
        Timestamp.from(T1),
        "baseline",
        null,
        "age",
        "numeric",
        "psi",
        Map.of("epsilon", "1.0E-4"),
        10L,
        12L,
        0.3,
        0.2,
        "DRIFT",
        true,
        List.of("[-inf, 30.0)", "[30.0, +inf)", "__null__"),
        List.of(4L, 6L, 0L),
        List.of(10L, 2L, 0L),
        Timestamp.from(T2),
        "run-1");
    roundTrips(
        DriftMetricsTable.SPEC,
        DriftMetricsTable.Entry::toRow,
        DriftMetricsTable.Entry::from,
        againstBaseline,
        againstPrevious);
  }

  @Test
  void performanceMetrics() {
    PerformanceMetricsTable.Entry labelled =
        new PerformanceMetricsTable.Entry(
            "m",
            3,
            "window-1",
            T1,
            OptionalLong.of(4),
            100,
            60,
            "f1",
            0.7,
            OptionalDouble.of(0.72),
            1.0,
            2.5,
            4.0,
            T2,
            "run-1");
    PerformanceMetricsTable.Entry untested =
        new PerformanceMetricsTable.Entry(
            "m",
            3,
            "window-1",
            T1,
            OptionalLong.empty(),
            100,
            60,
            "rmse",
            0.7,
            OptionalDouble.empty(),
            1.0,
            2.5,
            4.0,
            T2,
            "run-1");
    assertRow(
        labelled.toRow(),
        "m",
        3L,
        "window-1",
        Timestamp.from(T1),
        4L,
        100L,
        60L,
        "f1",
        0.7,
        0.72,
        1.0,
        2.5,
        4.0,
        Timestamp.from(T2),
        "run-1");
    roundTrips(
        PerformanceMetricsTable.SPEC,
        PerformanceMetricsTable.Entry::toRow,
        PerformanceMetricsTable.Entry::from,
        labelled,
        untested);
  }

  @Test
  void fairnessMetrics() {
    FairnessMetricsTable.Entry defined =
        new FairnessMetricsTable.Entry(
            "m",
            3,
            "window-1",
            T1,
            OptionalLong.of(4),
            "sex",
            "Female",
            "Male",
            40,
            30,
            "tpr",
            OptionalDouble.of(0.4),
            OptionalDouble.of(0.5),
            OptionalDouble.of(0.8),
            T2,
            "run-1");
    FairnessMetricsTable.Entry undefined =
        new FairnessMetricsTable.Entry(
            "m",
            3,
            "window-1",
            T1,
            OptionalLong.empty(),
            "sex",
            "__null__",
            "Male",
            2,
            0,
            "tpr",
            OptionalDouble.empty(),
            OptionalDouble.of(0.5),
            OptionalDouble.empty(),
            T2,
            "run-1");
    assertRow(
        undefined.toRow(),
        "m",
        3L,
        "window-1",
        Timestamp.from(T1),
        null,
        "sex",
        "__null__",
        "Male",
        2L,
        0L,
        "tpr",
        null,
        0.5,
        null,
        Timestamp.from(T2),
        "run-1");
    roundTrips(
        FairnessMetricsTable.SPEC,
        FairnessMetricsTable.Entry::toRow,
        FairnessMetricsTable.Entry::from,
        defined,
        undefined);
  }

  @Test
  void dataProfiles() {
    DataProfilesTable.Entry numeric =
        new DataProfilesTable.Entry(
            "tiny",
            "b1",
            "tiny_raw",
            OptionalLong.of(7),
            "age",
            "numeric",
            "int",
            6,
            0,
            6,
            OptionalDouble.of(28),
            OptionalDouble.of(61),
            OptionalDouble.of(42.5),
            OptionalDouble.of(12.25),
            Optional.of(
                List.of(
                    new DataProfilesTable.Quantile(0.5, OptionalDouble.of(39)),
                    new DataProfilesTable.Quantile(0.9, OptionalDouble.empty()))),
            Optional.empty(),
            T1);
    DataProfilesTable.Entry categorical =
        new DataProfilesTable.Entry(
            "tiny",
            "b1",
            "tiny_raw",
            OptionalLong.empty(),
            "sex",
            "categorical",
            "string",
            6,
            1,
            2,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            Optional.empty(),
            Optional.of(
                List.of(
                    new DataProfilesTable.Frequency(Optional.of("Female"), 3),
                    new DataProfilesTable.Frequency(Optional.empty(), 1))),
            T1);
    assertRow(
        numeric.toRow(),
        "tiny",
        "b1",
        "tiny_raw",
        7L,
        "age",
        "numeric",
        "int",
        6L,
        0L,
        6L,
        28.0,
        61.0,
        42.5,
        12.25,
        List.of(RowFactory.create(0.5, 39.0), RowFactory.create(0.9, null)),
        null,
        Timestamp.from(T1));
    assertRow(
        categorical.toRow(),
        "tiny",
        "b1",
        "tiny_raw",
        null,
        "sex",
        "categorical",
        "string",
        6L,
        1L,
        2L,
        null,
        null,
        null,
        null,
        null,
        List.of(RowFactory.create("Female", 3L), RowFactory.create(null, 1L)),
        Timestamp.from(T1));
    roundTrips(
        DataProfilesTable.SPEC,
        DataProfilesTable.Entry::toRow,
        DataProfilesTable.Entry::from,
        numeric,
        categorical);
  }

  @Test
  void aQuarantinedLine() {
    QuarantineTable.Line line =
        new QuarantineTable.Line("/in/a.csv", 12, "x,,y", List.of("FIELD_COUNT", "MISSING_LABEL"));
    assertRow(line.toRow(), "/in/a.csv", 12L, "x,,y", List.of("FIELD_COUNT", "MISSING_LABEL"));
    assertThat(QuarantineTable.Line.from(collected(line.toRow(), QuarantineTable.LINE_SCHEMA)))
        .isEqualTo(line);
    // The parse makes these rows in its tasks.
    assertThat(
            QuarantineTable.Line.from(
                collectedFromTasks(line.toRow(), QuarantineTable.LINE_SCHEMA)))
        .isEqualTo(line);
  }

  /** The row's values are the expected ones, in the table's column order, of the same types. */
  private static void assertRow(Row actual, Object... expected) {
    assertThat(RowValues.of(actual)).isEqualTo(RowValues.of(RowFactory.create(expected)));
  }

  /**
   * The records read back from their rows, collected by Spark and appended to and read from the
   * table.
   */
  @SafeVarargs
  private <T> void roundTrips(
      TableSpec spec, Function<T, Row> toRow, Function<Row, T> from, T... entries) {
    for (T entry : entries) {
      assertThat(from.apply(collected(toRow.apply(entry), spec.schema()))).isEqualTo(entry);
      assertThat(from.apply(collectedFromTasks(toRow.apply(entry), spec.schema())))
          .isEqualTo(entry);
    }
    Lakehouse lakehouse = new Lakehouse(spark, new LakehouseSettings(dir.toString(), "typed_rows"));
    lakehouse.append(spec, List.of(entries).stream().map(toRow).toList());
    assertThat(lakehouse.rows(spec.name()).stream().map(from)).containsExactlyInAnyOrder(entries);
  }

  /** A row as a query returns it: with its schema, arrays and maps in Scala's collections. */
  private static Row collected(Row row, StructType schema) {
    return spark.createDataFrame(List.of(row), schema).collectAsList().get(0);
  }

  /**
   * The same for a row a task makes, which Spark's encoders take more strictly than the driver's.
   */
  private static Row collectedFromTasks(Row row, StructType schema) {
    JavaRDD<Row> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(row), 1);
    return spark.createDataFrame(rows, schema).collectAsList().get(0);
  }
}
