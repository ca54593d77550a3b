package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code feature_importance}: how much each feature column matters to a model version. */
public final class FeatureImportanceTable {
  private FeatureImportanceTable() {}

  public static final String NAME = "feature_importance";
  public static final String COMMENT =
      "Feature importance of each model version: one row per version, kind and feature column; train"
          + " writes the model's own importances, report its permutation importance.";

  public static final String RUN_ID = SharedColumns.RUN_ID;
  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String MODEL_VERSION = SharedColumns.MODEL_VERSION;
  public static final String KIND = "kind";
  public static final String FEATURE = "feature";
  public static final String IMPORTANCE = "importance";
  public static final String RANK = "rank";
  public static final String CREATED_AT = "created_at";

  /** {@link #KIND} of an XGBoost model's importances: each feature's share of the total gain. */
  public static final String GAIN = "gain";

  /** {@link #KIND} of an MLlib tree model's importances: its {@code featureImportances}. */
  public static final String IMPURITY = "impurity";

  /** {@link #KIND} of a linear model's importances: its absolute coefficients' shares. */
  public static final String COEFFICIENT = "coefficient";

  /** {@link #KIND} of the report's importances: the metric's drop when a column is shuffled. */
  public static final String PERMUTATION = "permutation";

  /** The kinds train writes, from the model itself; the report writes {@link #PERMUTATION}. */
  public static final List<String> MODEL_KINDS = List.of(GAIN, IMPURITY, COEFFICIENT);

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.RUN_ID_FIELD,
            SharedColumns.MODEL_NAME_FIELD,
            SharedColumns.MODEL_VERSION_FIELD,
            required(
                KIND,
                StringType,
                "gain (XGBoost), impurity (random forest, gbt) or coefficient (linear models):"
                    + " written by train from the model; permutation: written by report."),
            required(
                FEATURE,
                StringType,
                "Feature column, as the data set names it: a categorical column's one-hot levels"
                    + " are summed into it."),
            required(
                IMPORTANCE,
                DoubleType,
                "gain, impurity, coefficient: the feature's share of the model's total, the shares"
                    + " of a version summing to 1 (all 0 when the model uses no feature); gain is"
                    + " XGBoost's total gain of the feature's splits, impurity MLlib's"
                    + " featureImportances, coefficient the absolute coefficients on the features as"
                    + " the model sees them (numeric columns divided by their train-split standard"
                    + " deviation when sluice.features scales them, else in their own units;"
                    + " one-hot levels 0 or 1), summed over classes. permutation: how much the"
                    + " selection metric worsens on the report's test rows when the column's values"
                    + " are shuffled (negative when it improves)."),
            required(
                RANK,
                IntegerType,
                "1 for the version's most important feature of the kind, then 2, ...; ties in"
                    + " feature-name order."),
            required(CREATED_AT, TimestampType, "When the row was written.")
          });

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, List.of());

  /** The importance of one feature column of one version, of one kind. */
  public record Entry(
      String runId,
      String modelName,
      long modelVersion,
      String kind,
      String feature,
      double importance,
      int rank,
      Instant createdAt) {
    public Entry {
      requireNonNull(runId, "runId is null");
      requireNonNull(modelName, "modelName is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(feature, "feature is null");
      requireNonNull(createdAt, "createdAt is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(RUN_ID, runId)
          .set(MODEL_NAME, modelName)
          .set(MODEL_VERSION, modelVersion)
          .set(KIND, kind)
          .set(FEATURE, feature)
          .set(IMPORTANCE, importance)
          .set(RANK, rank)
          .set(CREATED_AT, createdAt)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          row.getAs(RUN_ID),
          row.getAs(MODEL_NAME),
          row.<Long>getAs(MODEL_VERSION),
          row.getAs(KIND),
          row.getAs(FEATURE),
          row.<Double>getAs(IMPORTANCE),
          row.<Integer>getAs(RANK),
          Rows.instant(row, CREATED_AT));
    }
  }
}
