package dev.sluice.jobs.train;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.monitor.Histograms;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.table.ModelBaselinesTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The training baseline of a registered version: binned distributions of every feature and of the
 * predictions on the train split, stored once with the version so drift is never measured against a
 * table that changed since.
 */
final class Baselines {
  /** Bins of a positive-class probability's baseline: tenths. */
  private static final double[] PROBABILITY_EDGES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

  /** Relative error of the baseline's quantile edges, as {@link Baseline#numeric} uses. */
  private static final double QUANTILE_ERROR = 0.001;

  private final Lakehouse lakehouse;
  private final TrainSettings settings;
  private final DatasetSpec spec;

  Baselines(Lakehouse lakehouse, TrainSettings settings) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.spec = settings.dataset();
  }

  /** Appends the baselines of {@code chosen} on the cached {@code train} split, once a version. */
  void write(
      JobRun run,
      String model,
      long version,
      PipelineModel chosen,
      Dataset<Row> train,
      Instant now) {
    // Three passes over the cached train split whatever the number of features: every numeric
    // feature's quantile edges, every categorical feature's level counts, then every bin count.
    List<String> numeric = settings.features().numeric().stream().map(f -> f.name()).toList();
    List<String> categorical =
        settings.features().categorical().stream().map(f -> f.name()).toList();
    Map<String, double[]> edges = quantileEdges(train, numeric, settings.baselineBins());
    Map<String, List<String>> levels =
        frequentLevels(train, categorical, settings.baselineMaxLevels());
    List<Baseline> empty = new ArrayList<>();
    List<Column> values = new ArrayList<>();
    for (String feature : numeric) {
      empty.add(new Baseline(feature, true, edges.get(feature), List.of(), new long[0]));
      values.add(col("`" + feature + "`"));
    }
    for (String feature : categorical) {
      empty.add(new Baseline(feature, false, new double[0], levels.get(feature), new long[0]));
      values.add(col("`" + feature + "`"));
    }
    switch (spec.task()) {
      case BINARY -> {
        empty.add(
            new Baseline(Baseline.PREDICTION, true, PROBABILITY_EDGES, List.of(), new long[0]));
        values.add(vector_to_array(col(Columns.PROBABILITY), "float64").getItem(1));
      }
      case MULTICLASS -> {
        int classes = Snapshots.classIndex(spec).size();
        List<String> indices = new ArrayList<>();
        for (Row row :
            chosen
                .transform(train)
                .select(col(Columns.PREDICTION).cast("string").as("v"))
                .groupBy("v")
                .count()
                .orderBy(desc("count"), col("v"))
                .limit(classes)
                .collectAsList()) {
          indices.add(row.getString(0));
        }
        empty.add(new Baseline(Baseline.PREDICTION, false, new double[0], indices, new long[0]));
        values.add(col(Columns.PREDICTION));
      }
      case REGRESSION -> {
        Dataset<Row> predicted =
            chosen.transform(train).select(col(Columns.PREDICTION).cast("double").as("v"));
        empty.add(
            new Baseline(
                Baseline.PREDICTION,
                true,
                Histograms.quantileEdges(predicted, "v", settings.baselineBins(), QUANTILE_ERROR),
                List.of(),
                new long[0]));
        values.add(col(Columns.PREDICTION));
      }
    }
    long[][] counts = Baseline.countsOf(chosen.transform(train), empty, values);
    List<Baseline> baselines = new ArrayList<>();
    for (int i = 0; i < empty.size(); i++) {
      Baseline b = empty.get(i);
      baselines.add(new Baseline(b.feature(), b.numeric(), b.edges(), b.levels(), counts[i]));
    }
    long rows = train.count();
    List<Row> out = new ArrayList<>();
    for (Baseline baseline : baselines) {
      out.add(
          new ModelBaselinesTable.Entry(
                  model,
                  version,
                  baseline.feature(),
                  baseline.numeric()
                      ? ModelBaselinesTable.NUMERIC
                      : ModelBaselinesTable.CATEGORICAL,
                  java.util.Arrays.stream(baseline.edges()).boxed().toList(),
                  baseline.levels(),
                  java.util.Arrays.stream(baseline.counts()).boxed().toList(),
                  rows,
                  now)
              .toRow());
    }
    lakehouse
        .appendOnce(ModelBaselinesTable.SPEC, out, "baseline/" + model + "/" + version, 1)
        .ifPresent(v -> run.output(Tables.MODEL_BASELINES, v));
  }

  /** Interior quantile edges of every numeric column, in one pass; equal edges kept once. */
  static Map<String, double[]> quantileEdges(Dataset<Row> rows, List<String> columns, int bins) {
    Map<String, double[]> edges = new LinkedHashMap<>();
    if (columns.isEmpty()) {
      return edges;
    }
    double[] probabilities = new double[bins - 1];
    for (int i = 1; i < bins; i++) {
      probabilities[i - 1] = (double) i / bins;
    }
    String[] names = new String[columns.size()];
    Column[] casts = new Column[columns.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = "v" + i;
      casts[i] = col("`" + columns.get(i) + "`").cast("double").as(names[i]);
    }
    double[][] quantiles =
        rows.select(casts).stat().approxQuantile(names, probabilities, QUANTILE_ERROR);
    for (int i = 0; i < names.length; i++) {
      edges.put(
          columns.get(i), java.util.Arrays.stream(quantiles[i]).distinct().sorted().toArray());
    }
    return edges;
  }

  /**
   * The most frequent non-null levels of every categorical column, in one pass: most frequent
   * first, ties in the levels' order.
   */
  static Map<String, List<String>> frequentLevels(
      Dataset<Row> rows, List<String> columns, int maxLevels) {
    Map<String, List<String>> levels = new LinkedHashMap<>();
    columns.forEach(c -> levels.put(c, new ArrayList<>()));
    if (columns.isEmpty()) {
      return levels;
    }
    Column[] pairs =
        columns.stream()
            .map(c -> struct(lit(c).as("c"), col("`" + c + "`").cast("string").as("v")))
            .toArray(Column[]::new);
    List<Row> counted =
        rows.select(explode(array(pairs)).as("p"))
            .where(col("p.v").isNotNull())
            .groupBy(col("p.c").as("c"), col("p.v").as("v"))
            .count()
            .withColumn(
                "rank", row_number().over(Window.partitionBy("c").orderBy(desc("count"), col("v"))))
            .where(col("rank").leq(maxLevels))
            .orderBy("c", "rank")
            .collectAsList();
    for (Row row : counted) {
      levels.get(row.getString(0)).add(row.getString(1));
    }
    return levels;
  }
}
