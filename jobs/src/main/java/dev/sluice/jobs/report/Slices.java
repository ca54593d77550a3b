package dev.sluice.jobs.report;

import static java.util.stream.Collectors.toSet;
import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.train.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The report's slice table: the metric on the test rows of every group of each slice column.
 *
 * <p>A metric computed for given classes (a binary task's f1 is class 1's, macroF1 averages every
 * class's) is undefined on a group that holds no row of one of them, and MLlib's evaluator fails
 * there ("key not found"). Such a group's metric is shown as NaN, as the promotion gate leaves such
 * groups out; any other failure fails the report.
 */
final class Slices {
  private final TaskType task;
  private final String metric;
  private final int classCount;
  private final List<String> columns;

  Slices(TaskType task, String metric, int classCount, List<String> columns) {
    this.task = task;
    this.metric = metric;
    this.classCount = classCount;
    this.columns = List.copyOf(columns);
  }

  void write(Html html, Dataset<Row> scored) {
    if (columns.isEmpty()) {
      return;
    }
    html.section("Slices (test, " + metric + ")");
    html.table(List.of("column", "group", "rows", metric), rows(scored));
  }

  /** A row per group of each column, largest group first: column, group, rows, metric. */
  List<List<String>> rows(Dataset<Row> scored) {
    List<List<String>> rows = new ArrayList<>();
    for (String column : columns) {
      List<Row> groups =
          scored
              .groupBy(col("`" + column + "`"))
              .count()
              .orderBy(col("count").desc())
              .collectAsList();
      for (Row group : groups) {
        Object value = group.get(0);
        Dataset<Row> members =
            value == null
                ? scored.where(col("`" + column + "`").isNull())
                : scored.where(col("`" + column + "`").equalTo(value));
        rows.add(
            List.of(
                column,
                String.valueOf(value),
                String.format("%,d", group.getLong(1)),
                String.format("%.5f", metricOf(members))));
      }
    }
    return rows;
  }

  /** The classes of whose rows {@code metric} needs at least one: none unless it is per class. */
  static Set<Double> classesNeeded(TaskType task, String metric, int classCount) {
    return switch (metric) {
      case "f1" -> task == TaskType.BINARY ? Set.of(1.0) : Set.of();
      case "macroF1" -> IntStream.range(0, classCount).mapToObj(i -> (double) i).collect(toSet());
      default -> Set.of();
    };
  }

  /** The metric on a group's rows; NaN when it is undefined there (see the class comment). */
  private double metricOf(Dataset<Row> members) {
    Set<Double> needed = classesNeeded(task, metric, classCount);
    if (!needed.isEmpty() && !classesOf(members).containsAll(needed)) {
      return Double.NaN;
    }
    return Metrics.evaluate(task, members, metric, classCount);
  }

  private static Set<Double> classesOf(Dataset<Row> members) {
    return members
        .select(col(Columns.TARGET))
        .where(col(Columns.TARGET).isNotNull())
        .distinct()
        .collectAsList()
        .stream()
        .map(row -> row.getDouble(0))
        .collect(toSet());
  }
}
