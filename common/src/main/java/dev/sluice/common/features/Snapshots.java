package dev.sluice.common.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_replace;
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
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

  /**
   * Rows whose target is known: rows ingested to be scored ({@code ingest --kind unlabelled}) carry
   * a null label and never enter a training snapshot.
   */
  public static Dataset<Row> labelled(Dataset<Row> withTarget) {
    return withTarget.where(col(Columns.TARGET).isNotNull());
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
