package dev.sluice.common.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import dev.sluice.common.Columns;
import dev.sluice.common.engine.Schemas;
import dev.sluice.common.features.FeatureSpec.CategoricalFeature;
import dev.sluice.common.features.FeatureSpec.NumericFeature;
import dev.sluice.common.features.FeatureSpec.Transform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.QuantileDiscretizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds and fits the feature stages of a model from a {@link FeatureSpec}. The fitted stages
 * become the first stages of the model's {@code PipelineModel}, so scoring applies exactly the
 * transformation training did.
 *
 * <p>Categorical levels are learned here, once, on the training split: the kept levels are written
 * into a {@code SQLTransformer} statement, which maps nulls to {@value #MISSING} and rare or unseen
 * levels to {@value #OTHER}. A {@code StringIndexer} then indexes them by frequency.
 */
public final class FeaturePipeline {
  public static final String MISSING = "__missing__";
  public static final String OTHER = "__other__";
  private static final String NUMERIC_SUFFIX = "__num";
  private static final String IMPUTED_SUFFIX = "__imputed";
  private static final String BUCKET_SUFFIX = "__bucket";
  private static final String LEVEL_SUFFIX = "__level";
  private static final String INDEX_SUFFIX = "__index";
  private static final String ONE_HOT_SUFFIX = "__onehot";
  private static final String NUMERIC_VECTOR = "numeric__vector";
  private static final String SCALED_VECTOR = "numeric__scaled";

  /** Which encoding of categorical features an estimator wants. */
  public enum Encoding {
    /** One-hot vectors and standardised numerics: linear models. */
    ONE_HOT,
    /** Category indices with nominal metadata: trees split on categories directly. */
    INDEXED
  }

  private final FeatureSpec spec;

  public FeaturePipeline(FeatureSpec spec) {
    this.spec = spec;
  }

  /**
   * The kept levels of every categorical column: those seen at least min-count times in {@code
   * train}.
   */
  public Map<String, List<String>> frequentLevels(Dataset<Row> train) {
    Map<String, List<String>> levels = new LinkedHashMap<>();
    spec.categorical().forEach(c -> levels.put(c.name(), new ArrayList<>()));
    if (spec.categorical().isEmpty()) {
      return levels;
    }
    Map<String, Integer> minCounts = new HashMap<>();
    List<Column> pairs = new ArrayList<>();
    for (CategoricalFeature feature : spec.categorical()) {
      minCounts.put(feature.name(), feature.minCount());
      pairs.add(
          struct(
              lit(feature.name()).as("c"),
              col(Schemas.quoted(feature.name())).cast("string").as("v")));
    }
    List<Row> counts =
        train
            .select(explode(array(pairs.toArray(Column[]::new))).as("p"))
            .where(col("p.v").isNotNull())
            .groupBy(col("p.c"), col("p.v"))
            .count()
            .collectAsList();
    Map<String, TreeSet<String>> kept = new HashMap<>();
    for (Row row : counts) {
      String column = row.getString(0);
      if (row.getLong(2) >= minCounts.get(column)) {
        kept.computeIfAbsent(column, k -> new TreeSet<>()).add(row.getString(1));
      }
    }
    kept.forEach((column, values) -> levels.put(column, new ArrayList<>(values)));
    return levels;
  }

  /** The unfitted feature stages for an encoding, given the kept categorical levels. */
  public List<PipelineStage> stages(Encoding encoding, Map<String, List<String>> levels) {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(new SQLTransformer().setStatement(prepareStatement(levels)));

    List<String> numericOut = new ArrayList<>();
    if (!spec.numeric().isEmpty()) {
      for (FeatureSpec.Impute strategy : FeatureSpec.Impute.values()) {
        List<NumericFeature> group =
            spec.numeric().stream().filter(f -> f.impute() == strategy).toList();
        if (group.isEmpty()) {
          continue;
        }
        stages.add(
            new Imputer()
                .setStrategy(strategy.name().toLowerCase(Locale.ROOT))
                .setInputCols(
                    group.stream().map(f -> f.name() + NUMERIC_SUFFIX).toArray(String[]::new))
                .setOutputCols(
                    group.stream().map(f -> f.name() + IMPUTED_SUFFIX).toArray(String[]::new)));
      }
      List<NumericFeature> bucketed =
          spec.numeric().stream().filter(f -> f.transform() == Transform.BUCKET).toList();
      for (NumericFeature feature : bucketed) {
        stages.add(
            new QuantileDiscretizer()
                .setInputCol(feature.name() + IMPUTED_SUFFIX)
                .setOutputCol(feature.name() + BUCKET_SUFFIX)
                .setNumBuckets(feature.buckets())
                .setHandleInvalid("keep"));
      }
      for (NumericFeature feature : spec.numeric()) {
        numericOut.add(
            feature.name()
                + (feature.transform() == Transform.BUCKET ? BUCKET_SUFFIX : IMPUTED_SUFFIX));
      }
    }

    List<String> categoricalOut = new ArrayList<>();
    if (!spec.categorical().isEmpty()) {
      String[] levelCols =
          spec.categorical().stream().map(f -> f.name() + LEVEL_SUFFIX).toArray(String[]::new);
      String[] indexCols =
          spec.categorical().stream().map(f -> f.name() + INDEX_SUFFIX).toArray(String[]::new);
      stages.add(
          new StringIndexer()
              .setInputCols(levelCols)
              .setOutputCols(indexCols)
              .setStringOrderType("frequencyDesc")
              .setHandleInvalid("keep"));
      if (encoding == Encoding.ONE_HOT) {
        String[] oneHotCols =
            spec.categorical().stream().map(f -> f.name() + ONE_HOT_SUFFIX).toArray(String[]::new);
        stages.add(
            new OneHotEncoder()
                .setInputCols(indexCols)
                .setOutputCols(oneHotCols)
                .setHandleInvalid("keep"));
        categoricalOut.addAll(List.of(oneHotCols));
      } else {
        categoricalOut.addAll(List.of(indexCols));
      }
    }

    List<String> assembled = new ArrayList<>();
    if (!numericOut.isEmpty()) {
      boolean scale =
          encoding == Encoding.ONE_HOT && spec.numeric().stream().anyMatch(NumericFeature::scale);
      if (scale) {
        stages.add(
            new VectorAssembler()
                .setInputCols(numericOut.toArray(String[]::new))
                .setOutputCol(NUMERIC_VECTOR)
                .setHandleInvalid("keep"));
        stages.add(
            new StandardScaler()
                .setInputCol(NUMERIC_VECTOR)
                .setOutputCol(SCALED_VECTOR)
                .setWithMean(false)
                .setWithStd(true));
        assembled.add(SCALED_VECTOR);
      } else {
        assembled.addAll(numericOut);
      }
    }
    assembled.addAll(categoricalOut);
    stages.add(
        new VectorAssembler()
            .setInputCols(assembled.toArray(String[]::new))
            .setOutputCol(Columns.FEATURES)
            .setHandleInvalid("keep"));
    return stages;
  }

  /** Fits the feature stages of an encoding on the training rows. */
  public PipelineModel fit(
      Dataset<Row> train, Encoding encoding, Map<String, List<String>> levels) {
    return new Pipeline()
        .setStages(stages(encoding, levels).toArray(PipelineStage[]::new))
        .fit(train);
  }

  /**
   * The feature column each slot of a fitted model's feature vector comes from, in the vector's
   * order: a numeric column's slot, a categorical column's index or each of its one-hot levels.
   * {@code prepared} is the schema of rows the model's feature stages transformed: it holds every
   * column the last assembler read, with the ML attributes that give a vector's size.
   */
  public List<String> slotColumns(PipelineModel model, StructType prepared) {
    VectorAssembler assembler =
        Arrays.stream(model.stages())
            .filter(
                stage ->
                    stage instanceof VectorAssembler a && a.getOutputCol().equals(Columns.FEATURES))
            .map(VectorAssembler.class::cast)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "The model has no stage assembling " + Columns.FEATURES));
    Map<String, String> sources = new HashMap<>();
    for (NumericFeature feature : spec.numeric()) {
      sources.put(feature.name() + IMPUTED_SUFFIX, feature.name());
      sources.put(feature.name() + BUCKET_SUFFIX, feature.name());
    }
    for (CategoricalFeature feature : spec.categorical()) {
      sources.put(feature.name() + INDEX_SUFFIX, feature.name());
      sources.put(feature.name() + ONE_HOT_SUFFIX, feature.name());
    }
    List<String> slots = new ArrayList<>();
    for (String input : assembler.getInputCols()) {
      if (input.equals(SCALED_VECTOR)) {
        // The scaler's slots are the numeric columns, in the feature spec's order.
        spec.numeric().forEach(feature -> slots.add(feature.name()));
        continue;
      }
      String source = sources.get(input);
      if (source == null) {
        throw new IllegalArgumentException(
            "The assembler's input column "
                + input
                + " is none of this feature spec's columns: the model was not built from it");
      }
      StructField field = prepared.apply(input);
      int size =
          field.dataType() instanceof VectorUDT ? AttributeGroup.fromStructField(field).size() : 1;
      if (size < 0) {
        throw new IllegalArgumentException("The size of vector column " + input + " is unknown");
      }
      for (int i = 0; i < size; i++) {
        slots.add(source);
      }
    }
    return slots;
  }

  /**
   * The statement of the first stage: numeric columns as doubles (with the log transform where
   * asked), categorical columns with nulls and rare or unseen levels folded.
   */
  String prepareStatement(Map<String, List<String>> levels) {
    List<String> outputs = new ArrayList<>();
    for (NumericFeature feature : spec.numeric()) {
      String source = "CAST(" + Schemas.quoted(feature.name()) + " AS DOUBLE)";
      if (feature.transform() == Transform.LOG) {
        source = "CASE WHEN " + source + " > -1 THEN log1p(" + source + ") END";
      }
      outputs.add(source + " AS " + Schemas.quoted(feature.name() + NUMERIC_SUFFIX));
    }
    for (CategoricalFeature feature : spec.categorical()) {
      String column = "CAST(" + Schemas.quoted(feature.name()) + " AS STRING)";
      List<String> kept = levels.getOrDefault(feature.name(), List.of());
      String known =
          kept.isEmpty()
              ? "FALSE"
              : column
                  + " IN ("
                  + kept.stream().map(FeaturePipeline::literal).collect(Collectors.joining(", "))
                  + ")";
      outputs.add(
          "CASE WHEN "
              + column
              + " IS NULL THEN "
              + literal(MISSING)
              + " WHEN "
              + known
              + " THEN "
              + column
              + " ELSE "
              + literal(OTHER)
              + " END AS "
              + Schemas.quoted(feature.name() + LEVEL_SUFFIX));
    }
    return "SELECT *, " + String.join(", ", outputs) + " FROM __THIS__";
  }

  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
