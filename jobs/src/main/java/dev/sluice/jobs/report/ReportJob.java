package dev.sluice.jobs.report;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.chart.Svg;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.ReportSettings;
import dev.sluice.common.train.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import scala.Tuple2;

/**
 * Writes a self-contained HTML report of a registered version beside its artifact: data,
 * cross-validation, test metrics, curves, confusion matrix, importances, slices, the gate's
 * decision and the lineage from raw batches to the model. Every number comes from the tables or
 * from scoring the frozen test split.
 */
public final class ReportJob {
  static final String JOB = "report";
  private static final int CURVE_BINS = 100;
  private static final int CALIBRATION_BINS = 10;
  private static final int RESIDUAL_POINTS = 500;

  private final SparkSession spark;
  private final ReportSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  /** Where the report went. */
  public record ReportResult(
      String model, long version, String path, Map<String, Integer> chartPoints)
      implements JobResult {
    @Override
    public String summary() {
      return String.format(
          "== sluice report: %s v%d ==%nreport         %s%n", model, version, path);
    }
  }

  public ReportJob(SparkSession spark, ReportSettings settings) {
    this.spark = requireNonNull(spark, "spark is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(spark, settings.lakehouse());
    this.registry = new Registry(lakehouse);
    this.steps = new Steps(spark.sparkContext(), JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB, args, ReportSettings::load, (spark, settings) -> new ReportJob(spark, settings).run());
  }

  public ReportResult run() {
    return JobRun.record(
        lakehouse, JOB, spec.name(), settings.settingsHash(), this::execute, result -> false);
  }

  private ReportResult execute(JobRun run) {
    String model = spec.name();
    ModelVersion record =
        registry.resolve(
            model,
            settings.modelVersion(),
            Registry.Fallback.LATEST,
            "report on",
            "--model-version");
    long version = record.version();
    String snapshotTable = record.snapshotTable();
    long snapshotVersion = record.snapshotVersion();
    run.input(snapshotTable, snapshotVersion);
    Dataset<Row> snapshot = lakehouse.readVersion(snapshotTable, snapshotVersion);
    PipelineModel pipeline = PipelineModel.load(record.artifactPath());
    boolean binary = spec.task() == TaskType.BINARY;
    boolean classification = spec.task().isClassification();

    Dataset<Row> test = snapshot.where(col(Columns.SPLIT).equalTo("test"));
    long testRows = test.count();
    if (testRows > settings.maxRows()) {
      long buckets = 1_000_000L;
      test =
          test.where(
              pmod(xxhash64(col(Columns.ROW_ID), lit(settings.seed())), lit(buckets))
                  .lt(lit((long) ((double) settings.maxRows() / testRows * buckets))));
    }
    Dataset<Row> frozen = test;
    Dataset<Row> scored = pipeline.transform(frozen).cache();
    Map<String, Integer> points = new LinkedHashMap<>();
    Html html = new Html(model + " v" + version);

    steps.run("data", () -> data(html, snapshot));
    steps.run("cross-validation", () -> crossValidation(html, model, version));
    html.section("Test metrics");
    html.table(List.of("metric", "value"), metricRows(record.testMetrics()));

    if (binary) {
      steps.run("curves", () -> curves(html, scored, points));
    }
    if (classification) {
      steps.run("confusion matrix", () -> confusion(html, scored, record.classLabels()));
    } else {
      steps.run("residuals", () -> residuals(html, scored, points));
    }
    steps.run("importance", () -> importance(html, pipeline, scored, frozen, points));
    steps.run("slices", () -> slices(html, scored));
    steps.run("gate", () -> gate(html, model, version));
    steps.run("lineage", () -> lineage(html, record, snapshot));
    scored.unpersist();

    String path = record.artifactPath() + "/report.html";
    write(path, html.render());
    run.detail("report", path);
    return new ReportResult(model, version, path, points);
  }

  private void data(Html html, Dataset<Row> snapshot) {
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

  private void crossValidation(Html html, String model, long version) {
    html.section("Cross-validation");
    if (!lakehouse.exists(Tables.CV_RESULTS)) {
      return;
    }
    List<Row> rows =
        lakehouse
            .read(Tables.CV_RESULTS)
            .where(col("model_name").equalTo(model).and(col("model_version").equalTo(version)))
            .groupBy(
                col("estimator"), col("param_index"), col("params").cast("string"), col("metric"))
            .agg(avg("value").as("mean"), count(lit(1)).as("folds"))
            .orderBy("estimator", "param_index")
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

  private void curves(Html html, Dataset<Row> scored, Map<String, Integer> points) {
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

  private void residuals(Html html, Dataset<Row> scored, Map<String, Integer> points) {
    List<Row> rows =
        scored
            .orderBy(Columns.ROW_ID)
            .limit(RESIDUAL_POINTS)
            .select(col(Columns.PREDICTION), col(Columns.TARGET).minus(col(Columns.PREDICTION)))
            .collectAsList();
    List<Svg.Point> residuals =
        rows.stream().map(r -> new Svg.Point(r.getDouble(0), r.getDouble(1))).toList();
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

  private void confusion(Html html, Dataset<Row> scored, List<String> classes) {
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
  }

  private void importance(
      Html html,
      PipelineModel pipeline,
      Dataset<Row> scored,
      Dataset<Row> test,
      Map<String, Integer> points) {
    html.section("Feature importance");
    Transformer last = pipeline.stages()[pipeline.stages().length - 1];
    try {
      Vector importances = (Vector) last.getClass().getMethod("featureImportances").invoke(last);
      AttributeGroup group =
          AttributeGroup.fromStructField(scored.schema().apply(Columns.FEATURES));
      List<String> names = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      Attribute[] attributes =
          group.attributes().isDefined() ? group.attributes().get() : new Attribute[0];
      for (int i = 0; i < importances.size(); i++) {
        names.add(
            i < attributes.length && attributes[i].name().isDefined()
                ? attributes[i].name().get()
                : "f" + i);
        values.add(importances.apply(i));
      }
      sortDescending(names, values);
      html.raw(
          Svg.bars(
              "tree-importance",
              "Tree importance (" + last.getClass().getSimpleName() + ")",
              names,
              values));
      points.put("tree-importance", names.size());
    } catch (ReflectiveOperationException e) {
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
    Dataset<Row> numbered =
        test.withColumn("_n", row_number().over(Window.orderBy(Columns.ROW_ID)));
    for (String column : settings.features().columns()) {
      Dataset<Row> shuffled =
          test.select(col("`" + column + "`").as("_v"))
              .withColumn("_n", row_number().over(Window.orderBy(rand(settings.seed()))));
      Dataset<Row> permuted =
          numbered.drop(column).join(shuffled, "_n").withColumnRenamed("_v", column).drop("_n");
      double value =
          Metrics.evaluate(spec.task(), pipeline.transform(permuted), metric, classCount);
      names.add(column);
      drops.add(Metrics.largerIsBetter(metric) ? baseline - value : value - baseline);
    }
    sortDescending(names, drops);
    html.raw(
        Svg.bars(
            "permutation-importance",
            "Permutation importance (drop of " + metric + ")",
            names,
            drops));
    points.put("permutation-importance", names.size());
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

  private void slices(Html html, Dataset<Row> scored) {
    if (settings.sliceColumns().isEmpty()) {
      return;
    }
    html.section("Slices (test, " + settings.metric() + ")");
    List<List<String>> rows = new ArrayList<>();
    int classCount = Snapshots.classIndex(spec).size();
    for (String column : settings.sliceColumns()) {
      List<Row> groups =
          scored
              .groupBy(col("`" + column + "`"))
              .count()
              .orderBy(col("count").desc())
              .collectAsList();
      for (Row group : groups) {
        Object value = group.get(0);
        Dataset<Row> members =
            value == null
                ? scored.where(col("`" + column + "`").isNull())
                : scored.where(col("`" + column + "`").equalTo(value));
        double metric;
        try {
          metric = Metrics.evaluate(spec.task(), members, settings.metric(), classCount);
        } catch (RuntimeException e) {
          metric = Double.NaN;
        }
        rows.add(
            List.of(
                column,
                String.valueOf(value),
                String.format("%,d", group.getLong(1)),
                String.format("%.5f", metric)));
      }
    }
    html.table(List.of("column", "group", "rows", settings.metric()), rows);
  }

  private void gate(Html html, String model, long version) {
    html.section("Promotion gate");
    if (!lakehouse.exists(Tables.PROMOTION_LOG)) {
      html.paragraph("Not judged yet.");
      return;
    }
    List<Row> decisions =
        lakehouse
            .read(Tables.PROMOTION_LOG)
            .where(col("model_name").equalTo(model).and(col("challenger_version").equalTo(version)))
            .orderBy(col("decided_at").desc())
            .limit(1)
            .collectAsList();
    if (decisions.isEmpty()) {
      html.paragraph("Not judged yet.");
      return;
    }
    Row decision = decisions.get(0);
    html.paragraph(
        "Verdict "
            + decision.getAs("verdict")
            + " ("
            + decision.getAs("reason")
            + "), mode "
            + decision.getAs("mode")
            + ", champion then "
            + decision.getAs("champion_version")
            + ".");
    List<Row> checks = decision.getList(decision.fieldIndex("checks"));
    html.table(
        List.of("check", "value", "threshold", "passed", "detail"),
        checks.stream()
            .map(
                c ->
                    List.of(
                        c.getString(0),
                        String.format("%.5f", c.getDouble(1)),
                        String.format("%.5f", c.getDouble(2)),
                        String.valueOf(c.getBoolean(3)),
                        c.getString(4)))
            .toList());
  }

  private void lineage(Html html, ModelVersion record, Dataset<Row> snapshot) {
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

  private void write(String path, String content) {
    Path file = new Path(path);
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(file, true)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report to " + path, e);
    }
  }
}
