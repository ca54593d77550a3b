package dev.sluice.jobs.report;

import static org.apache.spark.sql.functions.col;

import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.train.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The report's slice table: the metric on the test rows of every group of each slice column. */
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
        double metric;
        try {
          metric = Metrics.evaluate(task, members, this.metric, classCount);
        } catch (RuntimeException e) {
          metric = Double.NaN;
        }
        rows.add(
            List.of(
                column,
                String.valueOf(value),
                String.format("%,d", group.getLong(1)),
                String.format("%.5f", metric)));
      }
    }
    return rows;
  }
}
