package dev.sluice.common.engine.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** ObservedMetrics against the public path: Spark's own {@code Observation} on the same rows. */
class ObservedMetricsTest extends SparkTestBase {
  @Test
  void theAggregatesOfAnActionEqualSparksObservationOfTheSameAction() throws InterruptedException {
    Dataset<Row> rows = spark.range(0, 1000, 1, 3).toDF("n");
    List<Column> aggregates = List.of(count(lit(1)).as("rows"), sum(col("n")).as("total"));

    Row observed;
    try (ObservedMetrics metrics = ObservedMetrics.start(spark)) {
      metrics.observe(rows, aggregates).write().format("noop").mode("overwrite").save();
      observed = metrics.await(30).orElseThrow();
    }
    Observation observation = new Observation("twin");
    rows.observe(observation, aggregates.get(0), aggregates.get(1))
        .write()
        .format("noop")
        .mode("overwrite")
        .save();
    Map<String, Object> expected = observation.getAsJava();

    assertThat(observed.<Long>getAs("rows")).isEqualTo(expected.get("rows")).isEqualTo(1000L);
    assertThat(observed.<Long>getAs("total")).isEqualTo(expected.get("total")).isEqualTo(499500L);
  }

  @Test
  void noActionMeansNoAggregates() {
    try (ObservedMetrics metrics = ObservedMetrics.start(spark)) {
      metrics.observe(spark.range(3).toDF("n"), List.of(count(lit(1)).as("rows")));
      assertThat(metrics.await(1)).isEmpty();
      assertThat(metrics.await(1)).as("a second wait returns at once").isEmpty();
    }
  }
}
