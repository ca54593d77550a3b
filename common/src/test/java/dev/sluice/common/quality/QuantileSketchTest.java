package dev.sluice.common.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.apache.spark.sql.catalyst.util.QuantileSummaries;
import org.junit.jupiter.api.Test;

/** The sketch answers as Spark's {@code percentile_approx} summary does, value for value. */
class QuantileSketchTest {
  private static final double ERROR = 1.0 / 1000;
  private static final double[] QUANTILES = {0.0, 0.0005, 0.05, 0.25, 0.5, 0.75, 0.95, 0.9995, 1.0};

  /**
   * 230,000 values, over four head buffers and compressions: a skewed column (mostly 0), a wide one
   * and a small-integer one interleaved, with repeats.
   */
  private static double[] values() {
    Random random = new Random(7);
    double[] values = new double[230_000];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          switch (i % 3) {
            case 0 -> random.nextInt(10) == 0 ? random.nextInt(99_999) : 0;
            case 1 -> Math.round(random.nextGaussian() * 100_000 + 190_000);
            default -> random.nextInt(90);
          };
    }
    return values;
  }

  private static QuantileSummaries spark() {
    return new QuantileSummaries(
        QuantileSummaries.defaultCompressThreshold(),
        ERROR,
        new QuantileSummaries.Stats[0],
        0L,
        true);
  }

  private static double[] query(QuantileSummaries summaries) {
    double[] out = new double[QUANTILES.length];
    for (int i = 0; i < QUANTILES.length; i++) {
      out[i] = (Double) summaries.query(QUANTILES[i]).get();
    }
    return out;
  }

  @Test
  void oneStreamGivesSparksQuantiles() {
    QuantileSummaries spark = spark();
    QuantileSketch sketch = new QuantileSketch(ERROR);
    for (double x : values()) {
      spark = spark.insert(x);
      sketch.insert(x);
    }

    assertThat(sketch.count()).isEqualTo(230_000);
    assertThat(sketch.query(QUANTILES)).containsExactly(query(spark.compress()));
  }

  @Test
  void mergedTasksGiveSparksQuantilesInAnyMergeOrder() throws Exception {
    double[] values = values();
    int tasks = 5;
    QuantileSummaries[] spark = new QuantileSummaries[tasks];
    QuantileSketch[] sketches = new QuantileSketch[tasks];
    for (int t = 0; t < tasks; t++) {
      spark[t] = spark();
      sketches[t] = new QuantileSketch(ERROR);
      // Task sizes from 2 values (t = 4 gets few) to over 100,000.
      for (int i = t; i < values.length; i += t == 4 ? 100_000 : tasks - 1) {
        spark[t] = spark[t].insert(values[i]);
        sketches[t].insert(values[i]);
      }
      spark[t] = spark[t].compress();
    }
    // A task's sketch travels serialized, as Spark ships it to the driver.
    QuantileSketch merged = roundTrip(sketches[2]);
    QuantileSummaries expected = spark[2];
    for (int t : new int[] {4, 0, 3, 1}) {
      merged.merge(roundTrip(sketches[t]));
      expected = expected.merge(spark[t]);
    }

    assertThat(merged.count()).isEqualTo(expected.count());
    assertThat(merged.query(QUANTILES)).containsExactly(query(expected));
  }

  @Test
  void fewValuesAreExactAndNoValueHasNoAnswer() {
    QuantileSketch sketch = new QuantileSketch(ERROR);
    assertThat(sketch.query(QUANTILES)).isNull();
    QuantileSketch empty = new QuantileSketch(ERROR);
    sketch.merge(empty);
    assertThat(sketch.query(QUANTILES)).isNull();

    for (double x : new double[] {50, 39, 61, 28, 45, 33}) {
      sketch.insert(x);
    }
    // The quantile's rank is ceil(q * 6) among 28, 33, 39, 45, 50, 61.
    assertThat(sketch.query(new double[] {0.5, 0.05, 0.75, 1.0}))
        .containsExactly(39.0, 28.0, 50.0, 61.0);
    empty.merge(sketch);
    assertThat(empty.query(new double[] {0.5})).containsExactly(39.0);
  }

  private static QuantileSketch roundTrip(QuantileSketch sketch) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(sketch);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (QuantileSketch) in.readObject();
    }
  }
}
