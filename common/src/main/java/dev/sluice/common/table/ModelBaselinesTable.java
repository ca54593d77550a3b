package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code model_baselines}: the binned training distribution of every feature of a version. */
public final class ModelBaselinesTable {
  private ModelBaselinesTable() {}

  public static final String NAME = "model_baselines";
  public static final String COMMENT =
      "Training baselines of each model version: the binned distribution of every feature and of the"
          + " predictions on the train split, fixed at training time.";

  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String MODEL_VERSION = SharedColumns.MODEL_VERSION;
  public static final String FEATURE = "feature";
  public static final String KIND = "kind";
  public static final String EDGES = "edges";
  public static final String LEVELS = "levels";
  public static final String COUNTS = "counts";
  public static final String ROWS = "rows";
  public static final String CREATED_AT = "created_at";

  /** {@link #KIND} of a feature binned on numeric edges. */
  public static final String NUMERIC = "numeric";

  /** {@link #KIND} of a feature binned on categorical levels. */
  public static final String CATEGORICAL = "categorical";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.MODEL_NAME_FIELD,
            SharedColumns.MODEL_VERSION_FIELD,
            required(
                FEATURE, StringType, "Feature column, or __prediction__ for the model's output."),
            required(KIND, StringType, "numeric or categorical."),
            required(
                EDGES,
                createArrayType(DoubleType, false),
                "Numeric bin edges: bin i holds edges[i-1] <= x < edges[i]; then a top bin and a null bin."),
            required(
                LEVELS,
                createArrayType(StringType, false),
                "Categorical levels: one bin each, then __other__ and a null bin."),
            required(COUNTS, createArrayType(LongType, false), "Rows per bin on the train split."),
            required(ROWS, LongType, "Rows of the train split."),
            required(CREATED_AT, TimestampType, "When the baseline was computed.")
          });

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, List.of());

  /** The baseline of one feature (or the prediction) of one version. */
  public record Entry(
      String modelName,
      long modelVersion,
      String feature,
      String kind,
      List<Double> edges,
      List<String> levels,
      List<Long> counts,
      long rows,
      Instant createdAt) {
    public Entry {
      requireNonNull(modelName, "modelName is null");
      requireNonNull(feature, "feature is null");
      requireNonNull(kind, "kind is null");
      edges = List.copyOf(requireNonNull(edges, "edges is null"));
      levels = List.copyOf(requireNonNull(levels, "levels is null"));
      counts = List.copyOf(requireNonNull(counts, "counts is null"));
      requireNonNull(createdAt, "createdAt is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(MODEL_NAME, modelName)
          .set(MODEL_VERSION, modelVersion)
          .set(FEATURE, feature)
          .set(KIND, kind)
          .set(EDGES, edges)
          .set(LEVELS, levels)
          .set(COUNTS, counts)
          .set(ROWS, rows)
          .set(CREATED_AT, createdAt)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          row.getAs(MODEL_NAME),
          row.<Long>getAs(MODEL_VERSION),
          row.getAs(FEATURE),
          row.getAs(KIND),
          Rows.list(row, EDGES),
          Rows.list(row, LEVELS),
          Rows.list(row, COUNTS),
          row.<Long>getAs(ROWS),
          Rows.instant(row, CREATED_AT));
    }
  }
}
