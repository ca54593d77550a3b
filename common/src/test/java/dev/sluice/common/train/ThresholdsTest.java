package dev.sluice.common.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.Columns;
import dev.sluice.common.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdsTest extends SparkTestBase {
  @TempDir Path dir;

  private Dataset<Row> scored(double[][] scoreAndTarget) {
    StructType schema =
        new StructType()
            .add(Columns.PROBABILITY, new VectorUDT())
            .add(Columns.TARGET, DataTypes.DoubleType);
    List<Row> rows =
        java.util.Arrays.stream(scoreAndTarget)
            .map(p -> RowFactory.create(Vectors.dense(1 - p[0], p[0]), p[1]))
            .toList();
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void theBestF1ThresholdLiesBelowTheBestScoreAndAboveTheNext() {
    // Positive at or above each score: 0.9 f1 0.5, 0.8 f1 0.8, 0.7 f1 0.667, 0.6 f1 0.857 (3 true
    // positives, 1 false), 0.3 f1 0.75, 0.2 f1 0.667. The best is 0.6; the next lower score 0.3.
    double threshold =
        Thresholds.bestF1(
            scored(
                new double[][] {
                  {0.9, 1}, {0.8, 1}, {0.7, 0}, {0.6, 1}, {0.3, 0}, {0.2, 0},
                }));
    assertThat(threshold).isCloseTo(0.45, within(1e-12));
  }

  @Test
  void theBestAccuracyThresholdIsTheHighestOfTheTiedBest() {
    // Correct of 6 with positives at or above each score: 0.9 4, 0.8 5, 0.7 4, 0.6 5 (3 true
    // positives, 1 false), 0.3 4, 0.2 3. 0.8 and 0.6 tie; the higher wins, the next lower is 0.7.
    double[][] rows = {{0.9, 1}, {0.8, 1}, {0.7, 0}, {0.6, 1}, {0.3, 0}, {0.2, 0}};
    assertThat(Thresholds.bestAccuracy(scored(rows))).isCloseTo(0.75, within(1e-12));
    assertThat(
            Thresholds.choose(Thresholds.Choice.best(Thresholds.Rule.BEST_ACCURACY), scored(rows)))
        .isCloseTo(0.75, within(1e-12));
    assertThat(Thresholds.choose(Thresholds.Choice.fixed(0.3), scored(rows))).isEqualTo(0.3);
  }

  @Test
  void withoutRowsOrPositivesTheThresholdIsOneHalf() {
    assertThat(Thresholds.bestF1(scored(new double[][] {}))).isEqualTo(0.5);
    assertThat(Thresholds.bestF1(scored(new double[][] {{0.7, 0}, {0.2, 0}}))).isEqualTo(0.5);
    assertThat(Thresholds.bestAccuracy(scored(new double[][] {}))).isEqualTo(0.5);
    assertThat(Thresholds.bestAccuracy(scored(new double[][] {{0.7, 0}, {0.2, 0}}))).isEqualTo(0.5);
  }

  @Test
  void aModelPredictsPositiveAboveItsThreshold() throws java.io.IOException {
    Dataset<Row> rows =
        spark
            .range(0, 40)
            .selectExpr("CAST(id AS DOUBLE) AS x", "CAST(id >= 20 AS DOUBLE) AS " + Columns.TARGET)
            .union(spark.sql("SELECT 5.0 AS x, 1.0 AS " + Columns.TARGET))
            .union(spark.sql("SELECT 33.0 AS x, 0.0 AS " + Columns.TARGET));
    PipelineModel fitted =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("features"),
                  new LogisticRegression().setLabelCol(Columns.TARGET).setRegParam(0.1)
                })
            .fit(rows);
    // Saved and loaded as every job loads a model: a fitted one keeps its training summary, which
    // holds the session and does not serialize into tasks once the session has observed metrics.
    fitted.write().save(dir.resolve("model").toString());
    PipelineModel model = PipelineModel.load(dir.resolve("model").toString());

    Thresholds.apply(model, 0.2);

    Dataset<Row> predicted =
        model
            .transform(rows)
            .select(
                org.apache
                    .spark
                    .ml
                    .functions
                    .vector_to_array(col(Columns.PROBABILITY), "float64")
                    .getItem(1)
                    .as("p"),
                col(Columns.PREDICTION));
    for (Row row : predicted.collectAsList()) {
      assertThat(row.getDouble(1))
          .as("p = %s", row.getDouble(0))
          .isEqualTo(row.getDouble(0) > 0.2 ? 1.0 : 0.0);
    }
    assertThat(predicted.where("p > 0.2 AND p < 0.5").count())
        .as("rows the threshold turns positive")
        .isPositive();
  }

  @Test
  void aThresholdOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> Thresholds.binary(1.0)).hasMessageContaining("(0, 1)");
    assertThat(Thresholds.binary(0.25)).containsExactly(0.75, 0.25);
  }
}
