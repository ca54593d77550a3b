package dev.sluice.jobs.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.table.Check;
import dev.sluice.common.table.CvResultsTable;
import dev.sluice.common.table.PromotionLogTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The report's sections that the tables already hold: the snapshot's data and quarantine, the
 * cross-validation, the registered test metrics, the promotion gate's decision and the lineage.
 */
final class TableSections {
  private final Lakehouse lakehouse;

  TableSections(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  void data(Html html, Dataset<Row> snapshot) {
    html.section("Data");
    List<Row> splits =
        snapshot
            .groupBy(Columns.SPLIT, Columns.TARGET_CLASS)
            .count()
            .orderBy(Columns.SPLIT, Columns.TARGET_CLASS)
            .collectAsList();
    List<List<String>> rows = new ArrayList<>();
    for (Row row : splits) {
      rows.add(
          List.of(
              row.getString(0), String.valueOf(row.get(1)), String.format("%,d", row.getLong(2))));
    }
    html.table(List.of("split", "class", "rows"), rows);
    if (lakehouse.exists(Tables.QUARANTINE)) {
      List<String> batches =
          snapshot.select(Columns.BATCH_ID).distinct().collectAsList().stream()
              .map(r -> r.getString(0))
              .toList();
      List<Row> quarantined =
          lakehouse
              .read(Tables.QUARANTINE)
              .where(col(Columns.BATCH_ID).isin(batches.toArray()))
              .select(col(Columns.BATCH_ID), explode(col(Columns.REASONS)).as("reason"))
              .groupBy(Columns.BATCH_ID, "reason")
              .count()
              .orderBy(Columns.BATCH_ID, "reason")
              .collectAsList();
      html.paragraph(
          "Quarantined rows of the snapshot's "
              + batches.size()
              + " source batches: "
              + (quarantined.isEmpty() ? "none." : ""));
      if (!quarantined.isEmpty()) {
        html.table(
            List.of("batch", "reason", "rows"),
            quarantined.stream()
                .map(r -> List.of(r.getString(0), r.getString(1), String.valueOf(r.getLong(2))))
                .toList());
      }
    }
  }

  void crossValidation(Html html, String model, long version) {
    html.section("Cross-validation");
    if (!lakehouse.exists(Tables.CV_RESULTS)) {
      return;
    }
    List<Row> rows =
        lakehouse
            .read(Tables.CV_RESULTS)
            .where(
                col(CvResultsTable.MODEL_NAME)
                    .equalTo(model)
                    .and(col(CvResultsTable.MODEL_VERSION).equalTo(version)))
            .groupBy(
                col(CvResultsTable.ESTIMATOR),
                col(CvResultsTable.PARAM_INDEX),
                col(CvResultsTable.PARAMS).cast("string"),
                col(CvResultsTable.METRIC))
            .agg(avg(CvResultsTable.VALUE).as("mean"), count(lit(1)).as("folds"))
            .orderBy(CvResultsTable.ESTIMATOR, CvResultsTable.PARAM_INDEX)
            .collectAsList();
    html.table(
        List.of("estimator", "params", "metric", "mean over folds", "folds"),
        rows.stream()
            .map(
                r ->
                    List.of(
                        r.getString(0),
                        r.getString(2),
                        r.getString(3),
                        String.format("%.5f", r.getDouble(4)),
                        String.valueOf(r.getLong(5))))
            .toList());
  }

  void testMetrics(Html html, Map<String, Double> metrics) {
    html.section("Test metrics");
    html.table(List.of("metric", "value"), metricRows(metrics));
  }

  void gate(Html html, String model, long version) {
    html.section("Promotion gate");
    if (!lakehouse.exists(Tables.PROMOTION_LOG)) {
      html.paragraph("Not judged yet.");
      return;
    }
    List<Row> decisions =
        lakehouse
            .read(Tables.PROMOTION_LOG)
            .where(
                col(PromotionLogTable.MODEL_NAME)
                    .equalTo(model)
                    .and(col(PromotionLogTable.CHALLENGER_VERSION).equalTo(version)))
            .orderBy(col(PromotionLogTable.DECIDED_AT).desc())
            .limit(1)
            .collectAsList();
    if (decisions.isEmpty()) {
      html.paragraph("Not judged yet.");
      return;
    }
    PromotionLogTable.Entry decision = PromotionLogTable.Entry.from(decisions.get(0));
    html.paragraph(
        "Verdict "
            + decision.verdict()
            + " ("
            + decision.reason()
            + "), mode "
            + decision.mode()
            + ", champion then "
            + (decision.championVersion().isPresent()
                ? String.valueOf(decision.championVersion().getAsLong())
                : "null")
            + ".");
    html.table(
        List.of("check", "value", "threshold", "passed", "detail"),
        decision.checks().stream()
            .map(
                (Check c) ->
                    List.of(
                        c.name(),
                        String.format("%.5f", c.value()),
                        String.format("%.5f", c.threshold()),
                        String.valueOf(c.passed()),
                        c.detail()))
            .toList());
  }

  void lineage(Html html, ModelVersion record, Dataset<Row> snapshot) {
    html.section("Lineage");
    List<Row> batches =
        snapshot
            .groupBy(Columns.BATCH_ID, Columns.SOURCE)
            .count()
            .orderBy(Columns.SOURCE)
            .collectAsList();
    List<List<String>> rows = new ArrayList<>();
    for (Row batch : batches) {
      rows.add(
          List.of(
              "raw batch",
              batch.getString(0)
                  + " (source "
                  + batch.getString(1)
                  + ", "
                  + String.format("%,d", batch.getLong(2))
                  + " rows)"));
    }
    String rawVersion =
        record.rawVersion().isPresent() ? String.valueOf(record.rawVersion().getAsLong()) : "null";
    rows.add(List.of("raw table", record.rawTable() + " v" + rawVersion));
    rows.add(List.of("snapshot", record.snapshotTable() + " v" + record.snapshotVersion()));
    rows.add(List.of("feature spec", record.featureSpecHash()));
    rows.add(
        List.of(
            "model",
            record.model()
                + " v"
                + record.version()
                + " ("
                + record.estimator()
                + ", seed "
                + record.seed()
                + ")"));
    rows.add(List.of("artifact", record.artifactPath()));
    html.table(List.of("step", "what"), rows);
  }

  private static List<List<String>> metricRows(Map<String, Double> metrics) {
    return new TreeMap<>(metrics)
        .entrySet().stream()
            .map(e -> List.of(e.getKey(), String.format(Locale.ROOT, "%.5f", e.getValue())))
            .toList();
  }
}
