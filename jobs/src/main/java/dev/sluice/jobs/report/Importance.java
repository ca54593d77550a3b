package dev.sluice.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.common.Columns;
import dev.sluice.common.chart.Svg;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.settings.ReportSettings;
import dev.sluice.common.train.Metrics;
import dev.sluice.common.train.xgboost.XGBoostStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The report's feature importance section: the model's own importances when it is one of MLlib's
 * tree models or an XGBoost model (any other model has none, and the section says so), and
 * permutation importance of every input column on the test rows.
 */
final class Importance {
  private static final String COPY = "_copy";
  private static final String ROW = "_row";
  private static final String SOURCE = "_source";
  private static final String SHUFFLED = "_shuffled_";

  private final ReportSettings settings;
  private final DatasetSpec spec;

  Importance(ReportSettings settings) {
    this.settings = settings;
    this.spec = settings.dataset();
  }

  void write(
      Html html,
      PipelineModel pipeline,
      Dataset<Row> scored,
      Dataset<Row> test,
      Map<String, Integer> points) {
    html.section("Feature importance");
    Transformer last = pipeline.stages()[pipeline.stages().length - 1];
    Optional<Vector> importances = treeImportances(last);
    if (importances.isPresent()) {
      AttributeGroup group =
          AttributeGroup.fromStructField(scored.schema().apply(Columns.FEATURES));
      List<String> names = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      Attribute[] attributes =
          group.attributes().isDefined() ? group.attributes().get() : new Attribute[0];
      for (int i = 0; i < importances.get().size(); i++) {
        names.add(
            i < attributes.length && attributes[i].name().isDefined()
                ? attributes[i].name().get()
                : "f" + i);
        values.add(importances.get().apply(i));
      }
      sortDescending(names, values);
      html.raw(
          Svg.bars(
              "tree-importance",
              "Tree importance (" + last.getClass().getSimpleName() + ")",
              names,
              values));
      points.put("tree-importance", names.size());
    } else {
      html.paragraph(
          "The model (" + last.getClass().getSimpleName() + ") has no tree importances.");
    }
    // Permutation importance: how much the metric drops when one input column's values are
    // shuffled.
    String metric = settings.metric();
    int classCount = Snapshots.classIndex(spec).size();
    double baseline = Metrics.evaluate(spec.task(), scored, metric, classCount);
    List<String> names = new ArrayList<>();
    List<Double> drops = new ArrayList<>();
    // Every column's permuted copy of the test rows is scored in one pass: one plan to analyse
    // and one scoring job, then a metric per copy over the cached predictions.
    List<String> columns = settings.features().columns();
    Dataset<Row> scoredCopies = pipeline.transform(permutedCopies(test, columns));
    Dataset<Row> kept =
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
      names.add(columns.get(k));
      drops.add(Metrics.largerIsBetter(metric) ? baseline - value : value - baseline);
    }
    kept.unpersist();
    sortDescending(names, drops);
    html.raw(
        Svg.bars(
            "permutation-importance",
            "Permutation importance (drop of " + metric + ")",
            names,
            drops));
    points.put("permutation-importance", names.size());
  }

  /**
   * One copy of {@code test} per column, numbered {@code _copy} in the columns' order, in which
   * that column's values are shuffled among the rows (a permutation drawn from the seed) and every
   * other column is as it was.
   */
  private Dataset<Row> permutedCopies(Dataset<Row> test, List<String> columns) {
    Dataset<Row> numbered =
        test.withColumn(ROW, row_number().over(Window.orderBy(Columns.ROW_ID))).cache();
    Dataset<Row> copies =
        numbered
            .crossJoin(test.sparkSession().range(columns.size()).toDF(COPY))
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
    for (String name : test.columns()) {
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

  /**
   * The feature importances of MLlib's tree models and XGBoost's, the only models that have them.
   */
  private static Optional<Vector> treeImportances(Transformer model) {
    if (model instanceof DecisionTreeClassificationModel tree) {
      return Optional.of(tree.featureImportances());
    } else if (model instanceof RandomForestClassificationModel forest) {
      return Optional.of(forest.featureImportances());
    } else if (model instanceof GBTClassificationModel boosted) {
      return Optional.of(boosted.featureImportances());
    } else if (model instanceof DecisionTreeRegressionModel tree) {
      return Optional.of(tree.featureImportances());
    } else if (model instanceof RandomForestRegressionModel forest) {
      return Optional.of(forest.featureImportances());
    } else if (model instanceof GBTRegressionModel boosted) {
      return Optional.of(boosted.featureImportances());
    } else if (model instanceof XGBoostStage boosted) {
      return Optional.of(boosted.featureImportances());
    }
    return Optional.empty();
  }

  private static void sortDescending(List<String> names, List<Double> values) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Double.compare(values.get(b), values.get(a)));
    List<String> sortedNames = order.stream().map(names::get).toList();
    List<Double> sortedValues = order.stream().map(values::get).toList();
    names.clear();
    names.addAll(sortedNames);
    values.clear();
    values.addAll(sortedValues);
  }
}
