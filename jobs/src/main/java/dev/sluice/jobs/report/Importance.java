package dev.sluice.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.chart.Svg;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.ReportSettings;
import dev.sluice.common.table.FeatureImportanceTable;
import dev.sluice.common.train.FeatureImportances;
import dev.sluice.common.train.Metrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The report's feature importance section: the model's own importances, which train stored in
 * {@code feature_importance}, and permutation importance of every input column on the test rows.
 * The version's first report computes the permutation importance and appends it to the table (kind
 * {@code permutation}, once a version); a later report of the version reads it from there, so a
 * re-run adds no rows and shows what the table holds.
 */
final class Importance {
  private static final String COPY = "_copy";
  private static final String ROW = "_row";
  private static final String SOURCE = "_source";
  private static final String SHUFFLED = "_shuffled_";

  private final ReportSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;

  Importance(ReportSettings settings, Lakehouse lakehouse) {
    this.settings = settings;
    this.spec = settings.dataset();
    this.lakehouse = lakehouse;
  }

  void write(
      Html html,
      JobRun run,
      ModelVersion record,
      PipelineModel pipeline,
      Dataset<Row> scored,
      Dataset<Row> test,
      Map<String, Integer> points) {
    html.section("Feature importance");
    List<FeatureImportanceTable.Entry> recorded = recorded(record);
    List<FeatureImportanceTable.Entry> own =
        recorded.stream()
            .filter(e -> FeatureImportanceTable.MODEL_KINDS.contains(e.kind()))
            .toList();
    if (own.isEmpty()) {
      html.paragraph(
          "Version "
              + record.version()
              + " has no model importances in "
              + Tables.FEATURE_IMPORTANCE
              + ": it was trained by a release that did not record them. A version trained from"
              + " now on has them.");
    } else {
      chart(
          html,
          points,
          "model-importance",
          "Model importance (" + record.estimator() + ", " + own.get(0).kind() + ")",
          own);
    }
    List<FeatureImportanceTable.Entry> permutation =
        recorded.stream().filter(e -> e.kind().equals(FeatureImportanceTable.PERMUTATION)).toList();
    if (permutation.isEmpty()) {
      permutation =
          permutationImportance(pipeline, scored, test)
              .entries(run.runId(), record.model(), record.version(), Instant.now());
      lakehouse
          .appendOnce(
              FeatureImportanceTable.SPEC,
              permutation.stream().map(FeatureImportanceTable.Entry::toRow).toList(),
              "report/" + record.model() + "/" + record.version(),
              1)
          .ifPresent(v -> run.output(Tables.FEATURE_IMPORTANCE, v));
    }
    chart(
        html,
        points,
        "permutation-importance",
        "Permutation importance (drop of " + settings.metric() + ")",
        permutation);
  }

  /**
   * The version's rows of {@code feature_importance}, in rank order; none before train wrote any.
   */
  private List<FeatureImportanceTable.Entry> recorded(ModelVersion record) {
    return lakehouse.rows(Tables.FEATURE_IMPORTANCE).stream()
        .map(FeatureImportanceTable.Entry::from)
        .filter(e -> e.modelName().equals(record.model()) && e.modelVersion() == record.version())
        .sorted(Comparator.comparingInt(FeatureImportanceTable.Entry::rank))
        .toList();
  }

  private static void chart(
      Html html,
      Map<String, Integer> points,
      String id,
      String title,
      List<FeatureImportanceTable.Entry> ranked) {
    html.raw(
        Svg.bars(
            id,
            title,
            ranked.stream().map(FeatureImportanceTable.Entry::feature).toList(),
            ranked.stream().map(FeatureImportanceTable.Entry::importance).toList()));
    points.put(id, ranked.size());
  }

  /**
   * Permutation importance: how much the metric worsens when one input column's values are
   * shuffled.
   */
  private FeatureImportances permutationImportance(
      PipelineModel pipeline, Dataset<Row> scored, Dataset<Row> test) {
    String metric = settings.metric();
    int classCount = Snapshots.classIndex(spec).size();
    double baseline = Metrics.evaluate(spec.task(), scored, metric, classCount);
    Map<String, Double> drops = new LinkedHashMap<>();
    // Every column's permuted copy of the test rows is scored in one pass: one plan to analyse
    // and one scoring job, then a metric per copy over the cached predictions.
    List<String> columns = settings.features().columns();
    Dataset<Row> numbered =
        test.withColumn(ROW, row_number().over(Window.orderBy(Columns.ROW_ID))).cache();
    Dataset<Row> kept = null;
    try {
      Dataset<Row> scoredCopies =
          pipeline.transform(permutedCopies(numbered, test.columns(), columns));
      kept =
          scoredCopies
              .select(
                  col(COPY),
                  col(Columns.TARGET),
                  col(Columns.PREDICTION),
                  spec.task().isClassification() ? col(Columns.PROBABILITY) : lit(null),
                  spec.task().isClassification() ? col(Columns.RAW_PREDICTION) : lit(null))
              .toDF(
                  COPY,
                  Columns.TARGET,
                  Columns.PREDICTION,
                  Columns.PROBABILITY,
                  Columns.RAW_PREDICTION)
              .cache();
      for (int k = 0; k < columns.size(); k++) {
        double value =
            Metrics.evaluate(spec.task(), kept.where(col(COPY).equalTo(k)), metric, classCount);
        drops.put(
            columns.get(k), Metrics.largerIsBetter(metric) ? baseline - value : value - baseline);
      }
    } finally {
      if (kept != null) {
        kept.unpersist();
      }
      numbered.unpersist();
    }
    return FeatureImportances.ranked(FeatureImportanceTable.PERMUTATION, drops);
  }

  /**
   * One copy of the test rows ({@code numbered}: numbered {@code _row} by row id, with the test
   * split's {@code testColumns}) per column, numbered {@code _copy} in the columns' order, in which
   * that column's values are shuffled among the rows (a permutation drawn from the seed) and every
   * other column is as it was.
   */
  private Dataset<Row> permutedCopies(
      Dataset<Row> numbered, String[] testColumns, List<String> columns) {
    Dataset<Row> copies =
        numbered
            .crossJoin(numbered.sparkSession().range(columns.size()).toDF(COPY))
            .withColumn(
                SOURCE,
                row_number()
                    .over(
                        Window.partitionBy(COPY)
                            .orderBy(xxhash64(col(ROW), col(COPY), lit(settings.seed())))));
    List<Column> sources = new ArrayList<>(List.of(col(ROW).as(SOURCE)));
    for (int k = 0; k < columns.size(); k++) {
      sources.add(col(quoted(columns.get(k))).as(SHUFFLED + k));
    }
    Dataset<Row> joined = copies.join(numbered.select(sources.toArray(Column[]::new)), SOURCE);
    List<Column> out = new ArrayList<>();
    for (String name : testColumns) {
      int k = columns.indexOf(name);
      out.add(
          k < 0
              ? col(quoted(name))
              : when(col(COPY).equalTo(k), col(SHUFFLED + k))
                  .otherwise(col(quoted(name)))
                  .as(name));
    }
    out.add(col(COPY));
    return joined.select(out.toArray(Column[]::new));
  }

  private static String quoted(String column) {
    return "`" + column + "`";
  }
}
