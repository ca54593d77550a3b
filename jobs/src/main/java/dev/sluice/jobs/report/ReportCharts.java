package dev.sluice.jobs.report;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.common.Columns;
import dev.sluice.common.chart.Svg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The report's sections drawn from the scored test rows: ROC, precision-recall and calibration
 * curves (binary), the confusion matrix and per-class metrics (classification) or predicted against
 * actual values and the residuals (regression). Each chart records its number of points in {@code
 * points}.
 */
final class ReportCharts {
  private static final int CURVE_BINS = 100;
  private static final int CALIBRATION_BINS = 10;
  private static final int RESIDUAL_POINTS = 500;

  private ReportCharts() {}

  static void curves(Html html, Dataset<Row> scored, Map<String, Integer> points) {
    Dataset<Row> scoreAndLabel =
        scored.select(
            vector_to_array(col(Columns.PROBABILITY), "float64").getItem(1), col(Columns.TARGET));
    BinaryClassificationMetrics metrics =
        new BinaryClassificationMetrics(
            scoreAndLabel
                .javaRDD()
                .map(r -> new Tuple2<Object, Object>(r.getDouble(0), r.getDouble(1)))
                .rdd(),
            CURVE_BINS);
    List<Svg.Point> roc = toPoints(metrics.roc().toJavaRDD().collect());
    List<Svg.Point> pr = toPoints(metrics.pr().toJavaRDD().collect());
    metrics.unpersist();
    html.section("Curves");
    html.raw(
        Svg.lineChart(
            "roc",
            "ROC",
            "false positive rate",
            "true positive rate",
            roc,
            true,
            0,
            1,
            0,
            1,
            false));
    html.raw(
        Svg.lineChart(
            "pr", "Precision-recall", "recall", "precision", pr, false, 0, 1, 0, 1, false));
    points.put("roc", roc.size());
    points.put("pr", pr.size());
    List<Row> bins =
        scoreAndLabel
            .toDF("p", "y")
            .withColumn(
                "bin", least(floor(col("p").multiply(CALIBRATION_BINS)), lit(CALIBRATION_BINS - 1)))
            .groupBy("bin")
            .agg(avg("p"), avg("y"))
            .orderBy("bin")
            .collectAsList();
    List<Svg.Point> calibration =
        bins.stream().map(r -> new Svg.Point(r.getDouble(1), r.getDouble(2))).toList();
    html.raw(
        Svg.lineChart(
            "calibration",
            "Calibration",
            "mean predicted probability",
            "observed positive rate",
            calibration,
            true,
            0,
            1,
            0,
            1,
            true));
    points.put("calibration", calibration.size());
  }

  private static List<Svg.Point> toPoints(List<Tuple2<Object, Object>> pairs) {
    return pairs.stream().map(t -> new Svg.Point((Double) t._1(), (Double) t._2())).toList();
  }

  /** Predicted against actual values, and the residuals against the prediction (regression). */
  static void residuals(Html html, Dataset<Row> scored, Map<String, Integer> points) {
    List<Row> rows =
        scored
            .orderBy(Columns.ROW_ID)
            .limit(RESIDUAL_POINTS)
            .select(col(Columns.TARGET), col(Columns.PREDICTION))
            .collectAsList();
    List<Svg.Point> predicted =
        rows.stream().map(r -> new Svg.Point(r.getDouble(0), r.getDouble(1))).toList();
    List<Svg.Point> residuals =
        rows.stream()
            .map(r -> new Svg.Point(r.getDouble(1), r.getDouble(0) - r.getDouble(1)))
            .toList();
    double low = predicted.stream().mapToDouble(p -> Math.min(p.x(), p.y())).min().orElse(0);
    double high = predicted.stream().mapToDouble(p -> Math.max(p.x(), p.y())).max().orElse(1);
    html.section("Predicted against actual (test)");
    html.raw(
        Svg.scatter(
            "predicted-vs-actual",
            "Predicted against actual",
            "actual",
            "predicted",
            predicted,
            low,
            high,
            low,
            high));
    points.put("predicted-vs-actual", predicted.size());
    double xMin = residuals.stream().mapToDouble(Svg.Point::x).min().orElse(0);
    double xMax = residuals.stream().mapToDouble(Svg.Point::x).max().orElse(1);
    double yAbs = residuals.stream().mapToDouble(p -> Math.abs(p.y())).max().orElse(1);
    html.section("Residuals");
    html.raw(
        Svg.scatter(
            "residuals",
            "Residuals",
            "prediction",
            "target - prediction",
            residuals,
            xMin,
            xMax,
            -yAbs,
            yAbs));
    points.put("residuals", residuals.size());
  }

  /**
   * The confusion matrix (classification) and, for more than two classes, each class's support,
   * precision, recall and F1 from it.
   */
  static void confusion(
      Html html, Dataset<Row> scored, List<String> classes, Map<String, Integer> points) {
    html.section("Confusion matrix (test)");
    Map<String, Long> cells = new TreeMap<>();
    for (Row row : scored.groupBy(Columns.TARGET, Columns.PREDICTION).count().collectAsList()) {
      cells.put((int) row.getDouble(0) + "," + (int) row.getDouble(1), row.getLong(2));
    }
    List<String> header = new ArrayList<>();
    header.add("actual \\ predicted");
    header.addAll(classes);
    List<List<String>> rows = new ArrayList<>();
    for (int actual = 0; actual < classes.size(); actual++) {
      List<String> row = new ArrayList<>();
      row.add(classes.get(actual));
      for (int predicted = 0; predicted < classes.size(); predicted++) {
        row.add(String.format("%,d", cells.getOrDefault(actual + "," + predicted, 0L)));
      }
      rows.add(row);
    }
    html.table(header, rows);
    if (classes.size() > 2) {
      perClass(html, cells, classes);
      points.put("per-class", classes.size());
    }
  }

  private static void perClass(Html html, Map<String, Long> cells, List<String> classes) {
    int n = classes.size();
    long[] actual = new long[n];
    long[] predicted = new long[n];
    long[] correct = new long[n];
    cells.forEach(
        (cell, count) -> {
          String[] pair = cell.split(",");
          int a = Integer.parseInt(pair[0]);
          int p = Integer.parseInt(pair[1]);
          actual[a] += count;
          predicted[p] += count;
          if (a == p) {
            correct[a] += count;
          }
        });
    html.section("Per-class metrics (test)");
    List<List<String>> rows = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      double precision = predicted[c] == 0 ? Double.NaN : (double) correct[c] / predicted[c];
      double recall = actual[c] == 0 ? Double.NaN : (double) correct[c] / actual[c];
      double f1 =
          precision + recall > 0 ? 2 * precision * recall / (precision + recall) : Double.NaN;
      rows.add(
          List.of(
              classes.get(c),
              String.format("%,d", actual[c]),
              format(precision),
              format(recall),
              format(f1)));
    }
    html.table(List.of("class", "support", "precision", "recall", "f1"), rows);
  }

  private static String format(double value) {
    return Double.isNaN(value) ? "n/a" : String.format("%.4f", value);
  }
}
