package dev.sluice.jobs.infer;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.SourceFormat;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.run.JobResult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one infer run wrote: the data-set file, from how much of which file, and what it chose.
 *
 * @param dataLines the sampled data lines (header excluded)
 * @param columnsByRole the number of columns of each role
 * @param renamed columns whose file name is not a plain name, so they carry a source-name
 */
public record InferResult(
    String dataset,
    Path output,
    String file,
    int dataLines,
    boolean wholeFile,
    SourceFormat format,
    TaskType task,
    int classes,
    Map<ColumnRole, Long> columnsByRole,
    int renamed,
    double seconds)
    implements JobResult {
  public InferResult {
    requireNonNull(dataset, "dataset is null");
    requireNonNull(output, "output is null");
    requireNonNull(file, "file is null");
    requireNonNull(format, "format is null");
    requireNonNull(task, "task is null");
    columnsByRole = Map.copyOf(columnsByRole);
  }

  @Override
  public String summary() {
    return String.format(
        Locale.ROOT,
        "== sluice infer: %s ==%n"
            + "wrote          %s%n"
            + "sample         %,d data lines of %s (%s)%n"
            + "format         %s%n"
            + "task           %s%n"
            + "columns        %s%s%n"
            + "next           review it, then: scripts/spark-submit ingest --config"
            + " conf/application.conf --config %s%n"
            + "time           %.1f s%n",
        dataset,
        output,
        dataLines,
        file,
        wholeFile ? "the whole file" : "the file has more",
        format.name().toLowerCase(Locale.ROOT),
        task.name().toLowerCase(Locale.ROOT)
            + (task.isClassification() ? ", " + classes + " classes" : ""),
        columnsByRole.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", ")),
        renamed == 0 ? "" : "; " + renamed + " renamed (source-name)",
        output,
        seconds);
  }
}
