package dev.sluice.common.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.Columns;
import dev.sluice.common.features.FeaturePipeline.Encoding;
import dev.sluice.common.features.FeatureSpec.CategoricalFeature;
import dev.sluice.common.features.FeatureSpec.Impute;
import dev.sluice.common.features.FeatureSpec.NumericFeature;
import dev.sluice.common.features.FeatureSpec.Transform;
import dev.sluice.common.testing.SparkTestBase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class FeaturePipelineTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("x", DataTypes.IntegerType)
          .add("c", DataTypes.StringType);

  private Dataset<Row> rows(Object[]... values) {
    return spark.createDataFrame(Arrays.stream(values).map(RowFactory::create).toList(), SCHEMA);
  }

  /** x: 1, 2, 3, 10 and a null; c: "a" three times, "b" once (rare at min-count 2), a null. */
  private Dataset<Row> train() {
    return rows(
        new Object[] {"r1", 1, "a"},
        new Object[] {"r2", 2, "a"},
        new Object[] {"r3", 3, "a"},
        new Object[] {"r4", null, "b"},
        new Object[] {"r5", 10, null});
  }

  private final FeatureSpec spec =
      new FeatureSpec(
          List.of(new NumericFeature("x", Impute.MEDIAN, false, Transform.NONE, 10)),
          List.of(new CategoricalFeature("c", 2)));

  @Test
  void keepsOnlyLevelsSeenAtLeastMinCountTimes() {
    assertThat(new FeaturePipeline(spec).frequentLevels(train()))
        .isEqualTo(Map.of("c", List.of("a")));
  }

  @Test
  void imputesMediansFoldsRareAndUnseenLevelsAndKeepsNullsAsALevel() {
    FeaturePipeline pipeline = new FeaturePipeline(spec);
    PipelineModel model = pipeline.fit(train(), Encoding.INDEXED, pipeline.frequentLevels(train()));
    Dataset<Row> scored =
        model.transform(
            rows(
                new Object[] {"s1", null, "a"},
                new Object[] {"s2", 7, "b"},
                new Object[] {"s3", 5, null},
                new Object[] {"s4", 4, "never-seen"}));
    // Median of {1, 2, 3, 10}: MLlib's imputer takes the lower middle value, 2.
    // Levels by frequency: a (3), then __missing__ and __other__ (1 each, alphabetical): 0, 1, 2.
    assertThat(scored.orderBy("id").select(Columns.FEATURES).collectAsList())
        .extracting(row -> Arrays.toString(((Vector) row.get(0)).toArray()))
        .containsExactly("[2.0, 0.0]", "[7.0, 2.0]", "[5.0, 1.0]", "[4.0, 2.0]");
  }

  @Test
  void oneHotEncodingNeverFailsOnUnseenLevels() {
    FeaturePipeline pipeline = new FeaturePipeline(spec);
    PipelineModel model = pipeline.fit(train(), Encoding.ONE_HOT, pipeline.frequentLevels(train()));
    List<Row> scored =
        model
            .transform(rows(new Object[] {"s1", 4, "never-seen"}, new Object[] {"s2", null, null}))
            .orderBy("id")
            .select(Columns.FEATURES)
            .collectAsList();
    // One numeric slot, then one-hot over a, __missing__, __other__, the indexer's __unknown and
    // the encoder's
    // invalid slot, the last dropped: 1 + 4 = 5 slots. Unseen levels were folded into __other__
    // (slot 3).
    assertThat(scored).extracting(row -> ((Vector) row.get(0)).size()).containsExactly(5, 5);
    assertThat(((Vector) scored.get(0).get(0)).apply(3)).isEqualTo(1.0);
    assertThat(((Vector) scored.get(1).get(0)).apply(2)).isEqualTo(1.0);
  }

  /**
   * One-hot: x's slot, then c's four (a, __missing__, __other__ and the indexer's unknown);
   * indexed: x and c's index; with x standardised, its slot comes from the scaler's vector.
   */
  @Test
  void everySlotOfTheFeatureVectorIsNamedByTheColumnItComesFrom() {
    FeatureSpec scaled =
        new FeatureSpec(
            List.of(new NumericFeature("x", Impute.MEDIAN, true, Transform.NONE, 10)),
            spec.categorical());
    Map<String, List<String>> levels = new FeaturePipeline(spec).frequentLevels(train());
    for (FeatureSpec features : List.of(spec, scaled)) {
      FeaturePipeline pipeline = new FeaturePipeline(features);
      PipelineModel oneHot = pipeline.fit(train(), Encoding.ONE_HOT, levels);
      assertThat(pipeline.slotColumns(oneHot, oneHot.transform(train()).schema()))
          .containsExactly("x", "c", "c", "c", "c");
    }
    // Trees see no scaled numerics: one fit covers both specs.
    FeaturePipeline pipeline = new FeaturePipeline(spec);
    PipelineModel indexed = pipeline.fit(train(), Encoding.INDEXED, levels);
    assertThat(pipeline.slotColumns(indexed, indexed.transform(train()).schema()))
        .containsExactly("x", "c");
  }

  @Test
  void logTransformAndMeanImputation() {
    FeatureSpec logSpec =
        new FeatureSpec(
            List.of(new NumericFeature("x", Impute.MEAN, false, Transform.LOG, 10)), List.of());
    FeaturePipeline pipeline = new FeaturePipeline(logSpec);
    PipelineModel model = pipeline.fit(train(), Encoding.INDEXED, Map.of());
    double mean = (Math.log1p(1) + Math.log1p(2) + Math.log1p(3) + Math.log1p(10)) / 4;
    List<Row> scored =
        model
            .transform(rows(new Object[] {"s1", null, "a"}, new Object[] {"s2", 3, "a"}))
            .orderBy("id")
            .select(Columns.FEATURES)
            .collectAsList();
    assertThat(((Vector) scored.get(0).get(0)).apply(0))
        .isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(((Vector) scored.get(1).get(0)).apply(0)).isEqualTo(Math.log1p(3));
  }

  @Test
  void quotesAwkwardColumnNamesAndLevels() {
    FeatureSpec awkward =
        new FeatureSpec(List.of(), List.of(new CategoricalFeature("native-country", 1)));
    String statement =
        new FeaturePipeline(awkward)
            .prepareStatement(Map.of("native-country", List.of("O'Brien", "a\\b")));
    assertThat(statement)
        .isEqualTo(
            "SELECT *, CASE WHEN CAST(`native-country` AS STRING) IS NULL THEN '__missing__'"
                + " WHEN CAST(`native-country` AS STRING) IN ('O\\'Brien', 'a\\\\b') THEN CAST(`native-country` AS STRING)"
                + " ELSE '__other__' END AS `native-country__level` FROM __THIS__");
  }
}
