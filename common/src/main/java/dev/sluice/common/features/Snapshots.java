package dev.sluice.common.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.LabelSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.engine.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.MetadataBuilder;

/** The pure steps from raw rows to training-snapshot rows: target and split. */
public final class Snapshots {
  /** Hash buckets a row's split is drawn from: fine enough for any fraction to 6 digits. */
  private static final long SPLIT_BUCKETS = 1_000_000L;

  private Snapshots() {}

  /**
   * The classes in index order. For a binary task the positive class is last, so its index is 1 and
   * every probability column's second entry is the positive class's probability.
   */
  public static List<String> classIndex(DatasetSpec spec) {
    List<String> classes = new ArrayList<>(spec.label().classes());
    if (spec.task() == TaskType.BINARY) {
      classes.remove(spec.label().positiveClass());
      classes.add(spec.label().positiveClass());
    }
    return classes;
  }

  /** The normalised label as {@code target_class} and the model's numeric {@code target}. */
  public static Dataset<Row> withTarget(Dataset<Row> raw, DatasetSpec spec) {
    Column label = col(Schemas.quoted(spec.label().column()));
    if (spec.task() == TaskType.REGRESSION) {
      return raw.withColumn(Columns.TARGET_CLASS, lit(null).cast("string"))
          .withColumn(Columns.TARGET, label.cast("double"));
    }
    Column normalized = normalize(label.cast("string"), spec.label());
    Column index = lit(null).cast("double");
    List<String> classes = classIndex(spec);
    for (int i = classes.size() - 1; i >= 0; i--) {
      index = when(normalized.equalTo(classes.get(i)), lit((double) i)).otherwise(index);
    }
    return raw.withColumn(Columns.TARGET_CLASS, normalized).withColumn(Columns.TARGET, index);
  }

  /** When a row's delayed label arrived: the ingest time of its labels row. */
  public static final String LABEL_ARRIVED_AT = "label_arrived_at";

  /** How many distinct labels the labels table holds for a row id: above 1, its files disagree. */
  public static final String LABEL_VALUES = "label_values";

  /** The delayed label's target, beside the raw row's own, while they are merged. */
  private static final String LATE_TARGET = "late_target";

  private static final String LATE_ROW_ID = "late_row_id";

  /** Whether a row's label came from the labels table ({@link #withLateLabels}); not projected. */
  public static final String LATE_LABEL = "late_label";

  /**
   * The latest label of each row id in {@code labels} (rows of a labels table) as the model's
   * {@code target}, with {@link #LABEL_ARRIVED_AT} and {@link #LABEL_VALUES}: a later labels file
   * corrects an earlier one; within one arrival time, the later batch and line win.
   */
  public static Dataset<Row> latestLabels(Dataset<Row> labels, DatasetSpec spec) {
    List<Column> order = new ArrayList<>();
    for (String name : List.of(Columns.INGESTED_AT, Columns.BATCH_ID, Columns.LINE_NUMBER)) {
      if (List.of(labels.columns()).contains(name)) {
        order.add(col(name));
      }
    }
    return withTarget(labels, spec)
        .where(col(Columns.TARGET).isNotNull())
        .groupBy(Columns.ROW_ID)
        .agg(
            max_by(col(Columns.TARGET), struct(order.toArray(Column[]::new))).as(Columns.TARGET),
            max(Columns.INGESTED_AT).as(LABEL_ARRIVED_AT),
            count_distinct(col(Columns.TARGET)).as(LABEL_VALUES));
  }

  /**
   * Raw rows with their target ({@link #withTarget}) given a delayed label where they have none of
   * their own: the target, the normalised class and the label column itself come from {@code
   * latest} ({@link #latestLabels}), joined on the row id. A row's own label always wins.
   */
  public static Dataset<Row> withLateLabels(
      Dataset<Row> withTarget, Dataset<Row> latest, DatasetSpec spec) {
    Dataset<Row> joined =
        withTarget
            .join(
                latest.select(
                    col(Columns.ROW_ID).as(LATE_ROW_ID), col(Columns.TARGET).as(LATE_TARGET)),
                col(Columns.ROW_ID).equalTo(col(LATE_ROW_ID)),
                "left")
            .drop(LATE_ROW_ID);
    Column late = col(LATE_TARGET);
    Column lateClass =
        spec.task() == TaskType.REGRESSION
            ? lit(null).cast("string")
            : element_at(
                array(classIndex(spec).stream().map(functions::lit).toArray(Column[]::new)),
                late.cast("int").plus(1));
    String label = spec.label().column();
    Column lateLabel = spec.task() == TaskType.REGRESSION ? late : lateClass;
    var labelType = withTarget.schema().apply(label).dataType();
    return joined
        .withColumn(label, coalesce(col(Schemas.quoted(label)), lateLabel.cast(labelType)))
        .withColumn(LATE_LABEL, col(Columns.TARGET).isNull().and(late.isNotNull()))
        .withColumn(Columns.TARGET_CLASS, coalesce(col(Columns.TARGET_CLASS), lateClass))
        .withColumn(Columns.TARGET, coalesce(col(Columns.TARGET), late))
        .drop(LATE_TARGET);
  }

  /**
   * The rows of {@code raw} inside {@code window}: of its newest batches by ingest time, and
   * ingested within its days before the newest row. Both bounds come from the rows themselves, so
   * the same raw version always gives the same rows.
   */
  public static Dataset<Row> inWindow(Dataset<Row> raw, TrainingWindow window) {
    Dataset<Row> rows = raw;
    if (window.batches() > 0) {
      Dataset<Row> newest =
          raw.groupBy(Columns.BATCH_ID)
              .agg(min(Columns.INGESTED_AT).as(Columns.INGESTED_AT))
              .orderBy(desc(Columns.INGESTED_AT), desc(Columns.BATCH_ID))
              .limit(window.batches())
              .select(Columns.BATCH_ID);
      rows = rows.join(newest, Columns.BATCH_ID, "left_semi");
    }
    if (window.days() > 0) {
      Column newestRow = expr("max(" + Columns.INGESTED_AT + ") OVER ()");
      rows =
          rows.withColumn(LABEL_ARRIVED_AT, newestRow)
              .where(
                  col(Columns.INGESTED_AT)
                      .geq(
                          col(LABEL_ARRIVED_AT).minus(expr("INTERVAL " + window.days() + " DAYS"))))
              .drop(LABEL_ARRIVED_AT);
    }
    return rows;
  }

  /**
   * Rows whose target is known: rows ingested to be scored ({@code ingest --kind unlabelled}) carry
   * a null label and never enter a training snapshot.
   */
  public static Dataset<Row> labelled(Dataset<Row> withTarget) {
    return withTarget.where(col(Columns.TARGET).isNotNull());
  }

  /**
   * The raw rows whose label is known, with their target: a row's own label, else its latest late
   * label from {@code latestLabels} ({@link #latestLabels}) when given; rows with neither are left
   * out. The rows a training snapshot is built from.
   */
  public static Dataset<Row> knownLabels(
      Dataset<Row> raw, Optional<Dataset<Row>> latestLabels, DatasetSpec spec) {
    Dataset<Row> withTarget = withTarget(raw, spec);
    return labelled(
        latestLabels.map(labels -> withLateLabels(withTarget, labels, spec)).orElse(withTarget));
  }

  private static Column normalize(Column label, LabelSpec spec) {
    Column value = trim(label);
    for (String suffix : spec.stripSuffixes()) {
      if (!suffix.isEmpty()) {
        // LabelSpec.normalize strips only the first matching suffix; a regex anchored at the end
        // does the same here.
        value = regexp_replace(value, Pattern.quote(suffix) + "$", "");
        break;
      }
    }
    return value;
  }

  /**
   * Adds the {@code split} column: a hash of the row id and the seed decides train, validation or
   * test, so a row keeps its split across re-runs and appends. With method {@code source}, mapped
   * sources decide first.
   */
  public static Dataset<Row> withSplit(Dataset<Row> rows, SplitSpec split) {
    Column u =
        pmod(xxhash64(col(Columns.ROW_ID), lit(split.seed())), lit(SPLIT_BUCKETS))
            .cast("double")
            .divide(lit((double) SPLIT_BUCKETS));
    Column hashed =
        when(u.lt(split.train()), lit("train"))
            .when(u.lt(split.train() + split.validation()), lit("validation"))
            .otherwise(lit("test"));
    Column assigned = hashed;
    if (split.method() == SplitSpec.Method.SOURCE) {
      for (Map.Entry<String, String> entry : split.bySource().entrySet()) {
        assigned =
            when(col(Columns.SOURCE).equalTo(entry.getKey()), lit(entry.getValue()))
                .otherwise(assigned);
      }
    }
    return rows.withColumn(Columns.SPLIT, assigned);
  }

  /** The snapshot's columns: the data columns, then lineage, target and split. */
  public static Dataset<Row> project(Dataset<Row> rows, DatasetSpec spec) {
    List<Column> columns = new ArrayList<>();
    spec.columnNames().forEach(name -> columns.add(col(Schemas.quoted(name))));
    for (String name : List.of(Columns.ROW_ID, Columns.BATCH_ID, Columns.SOURCE)) {
      columns.add(col(name));
    }
    columns.add(
        commented(
            Columns.TARGET_CLASS,
            "The label normalised (suffixes stripped), for classification; null for regression."));
    columns.add(
        commented(
            Columns.TARGET,
            "What the model learns: the class index in the data set's class order (a binary task's"
                + " positive class is 1), or the label value for regression."));
    columns.add(
        commented(
            Columns.SPLIT,
            "train, validation or test: from a hash of row_id and the seed, or by source; stable"
                + " across re-runs."));
    return rows.select(columns.toArray(Column[]::new));
  }

  private static Column commented(String name, String comment) {
    return col(name).as(name, new MetadataBuilder().putString("comment", comment).build());
  }
}
