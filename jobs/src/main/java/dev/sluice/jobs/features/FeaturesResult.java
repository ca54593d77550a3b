package dev.sluice.jobs.features;

import dev.sluice.common.run.JobResult;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** What one features run built: the snapshot version, where it came from, and its split sizes. */
public record FeaturesResult(
    String dataset,
    String snapshotTable,
    long rawVersion,
    OptionalLong labelsVersion,
    long lateLabelledRows,
    long snapshotVersion,
    String featureSpecHash,
    boolean unchanged,
    Map<String, Long> rowsBySplit,
    double seconds)
    implements JobResult {
  public FeaturesResult {
    rowsBySplit = Map.copyOf(rowsBySplit);
  }

  @Override
  public String summary() {
    return String.format(
        "== sluice features: %s ==%n"
            + "snapshot       %s v%d%s%n"
            + "from           raw v%d%s, feature spec %s%n"
            + "rows by split  %s%n"
            + "time           %.1f s%n",
        dataset,
        snapshotTable,
        snapshotVersion,
        unchanged ? " (unchanged: same raw version and settings)" : "",
        rawVersion,
        labelsVersion.isPresent()
            ? String.format(
                " and labels v%d (%,d rows labelled late)",
                labelsVersion.getAsLong(), lateLabelledRows)
            : "",
        featureSpecHash,
        rowsBySplit.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> String.format("%s %,d", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", ")),
        seconds);
  }
}
