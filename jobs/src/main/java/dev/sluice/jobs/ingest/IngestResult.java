package dev.sluice.jobs.ingest;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.run.JobResult;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** What one ingest run did with one batch. */
public record IngestResult(
    String dataset,
    String batchId,
    String source,
    List<String> files,
    boolean alreadyIngested,
    long linesRead,
    long accepted,
    long quarantined,
    Map<String, Long> skipped,
    Map<String, Long> reasons,
    String rawTable,
    OptionalLong rawVersion,
    OptionalLong quarantineVersion,
    OptionalLong profileVersion,
    double seconds)
    implements JobResult {
  public IngestResult {
    requireNonNull(dataset, "dataset is null");
    requireNonNull(batchId, "batchId is null");
    files = List.copyOf(files);
    skipped = Map.copyOf(skipped);
    reasons = Map.copyOf(reasons);
  }

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append("== sluice ingest: ").append(dataset).append(" / ").append(source).append(" ==\n");
    text.append("batch          ").append(batchId).append('\n');
    text.append("files          ").append(String.join(", ", files)).append('\n');
    if (alreadyIngested) {
      text.append("status         already ingested: nothing written\n");
    }
    text.append(String.format("lines read     %,d%n", linesRead));
    text.append(String.format("accepted       %,d%n", accepted));
    text.append(String.format("quarantined    %,d", quarantined));
    if (!reasons.isEmpty()) {
      text.append("  (")
          .append(
              reasons.entrySet().stream()
                  .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                  .map(e -> e.getKey() + " " + e.getValue())
                  .collect(Collectors.joining(", ")))
          .append(')');
    }
    text.append('\n');
    text.append(String.format("skipped        %,d", skippedTotal()));
    if (!skipped.isEmpty()) {
      text.append("  (")
          .append(
              skipped.entrySet().stream()
                  .sorted(Map.Entry.comparingByKey())
                  .map(e -> e.getKey().toLowerCase(java.util.Locale.ROOT) + " " + e.getValue())
                  .collect(Collectors.joining(", ")))
          .append(')');
    }
    text.append('\n');
    text.append("tables         ")
        .append(rawTable)
        .append(version(rawVersion))
        .append(", quarantine")
        .append(version(quarantineVersion))
        .append(", data_profiles")
        .append(version(profileVersion))
        .append('\n');
    text.append(
        String.format(
            "time           %.1f s (%,.0f lines/s)%n",
            seconds, seconds > 0 ? linesRead / seconds : 0.0));
    return text.toString();
  }

  private static String version(OptionalLong version) {
    return version.isPresent() ? " v" + version.getAsLong() : " (unchanged)";
  }
}
