package dev.sluice.common.monitor;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PerformanceTest extends SparkTestBase {
  private static final DatasetSpec SPEC =
      DatasetSpecReader.read(TestSpecs.load(TestSpecs.TINY).config());

  private Dataset<Row> predictions() {
    // Window w1 scored at midnight on Nov 1 (4 rows), w2 a day later (2 rows).
    return spark.sql(
        "SELECT row_id, prediction, score, array(1 - score, score) AS probabilities,"
            + " scoring_run_id, CAST(scored_at AS TIMESTAMP) AS scored_at FROM VALUES"
            + " ('r1', 1.0D, 0.9D, 'w1', '2026-11-01 00:00:00'),"
            + " ('r2', 1.0D, 0.6D, 'w1', '2026-11-01 00:00:00'),"
            + " ('r3', 0.0D, 0.4D, 'w1', '2026-11-01 00:00:00'),"
            + " ('r4', 0.0D, 0.2D, 'w1', '2026-11-01 00:00:00'),"
            + " ('r5', 1.0D, 0.8D, 'w2', '2026-11-02 00:00:00'),"
            + " ('r6', 0.0D, 0.1D, 'w2', '2026-11-02 00:00:00')"
            + " AS t(row_id, prediction, score, scoring_run_id, scored_at)");
  }

  private Dataset<Row> labels() {
    // Rows of the labels table: r1 after 72 h; r2 after 6 h with the test file's "." suffix; r3
    // first as <=50K after 12 h, corrected to >50K after 60 h; r9 was never scored.
    return spark.sql(
        "SELECT id, income, id AS row_id, CAST(ingested_at AS TIMESTAMP) AS ingested_at FROM VALUES"
            + " ('r1', '>50K', '2026-11-04 00:00:00'),"
            + " ('r2', '<=50K.', '2026-11-01 06:00:00'),"
            + " ('r3', '<=50K', '2026-11-01 12:00:00'),"
            + " ('r3', '>50K', '2026-11-03 12:00:00'),"
            + " ('r9', '>50K', '2026-11-01 01:00:00')"
            + " AS t(id, income, ingested_at)");
  }

  @Test
  void onlyWindowsWhoseLabelsArrivedGetPerformanceWithTheirDelay() {
    Dataset<Row> labelled =
        Performance.labelled(predictions(), Performance.latestTargets(labels(), SPEC));
    assertThat(Performance.labelledRows(labelled)).containsExactly(Map.entry("w1", 3L));

    Performance.WindowPerformance w1 =
        Performance.evaluate(
            labelled.where(col("scoring_run_id").equalTo("w1")),
            TaskType.BINARY,
            List.of("accuracy", "areaUnderROC"),
            2);
    assertThat(w1.labelledRows()).isEqualTo(3);
    assertThat(w1.delayHoursMin()).isEqualTo(6.0);
    assertThat(w1.delayHoursMean()).isCloseTo((72 + 6 + 60) / 3.0, within(1e-9));
    assertThat(w1.delayHoursMax()).isEqualTo(72.0);
    // Targets r1 = 1, r2 = 0, r3 = 1 (the correction): only r1 is predicted right; positives
    // 0.9 and 0.4 against the negative 0.6: one pair of two ranked right.
    assertThat(w1.metrics().get("accuracy")).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(w1.metrics().get("areaUnderROC")).isCloseTo(0.5, within(1e-12));

    assertThatThrownBy(
            () ->
                Performance.evaluate(
                    labelled.where(col("scoring_run_id").equalTo("w2")),
                    TaskType.BINARY,
                    List.of("accuracy"),
                    2))
        .hasMessage("a window without labelled rows has no performance");
  }
}
