package dev.sluice.jobs.monitor;

import dev.sluice.common.run.JobResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Windows measured now with the features that drifted against the baseline and against the previous
 * window, and the labelled rows of windows whose performance was written now.
 */
public record MonitorResult(
    String model,
    long version,
    Map<String, List<String>> drifted,
    Map<String, List<String>> driftedFromPrevious,
    Map<String, Long> labelled)
    implements JobResult {
  public MonitorResult {
    // Windows in the order they were scored.
    drifted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(drifted));
    driftedFromPrevious =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(driftedFromPrevious));
    labelled = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labelled));
  }

  @Override
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append("== sluice monitor: ").append(model).append(" v").append(version).append(" ==\n");
    if (drifted.isEmpty()) {
      text.append("no new scoring window\n");
    }
    drifted.forEach(
        (window, features) -> {
          text.append("window ")
              .append(window)
              .append(": ")
              .append(
                  features.isEmpty()
                      ? "no drift from baseline"
                      : "drift from baseline in " + features);
          List<String> previous = driftedFromPrevious.get(window);
          if (previous != null) {
            text.append(
                previous.isEmpty()
                    ? "; none from previous window"
                    : "; from previous window in " + previous);
          }
          text.append('\n');
        });
    labelled.forEach(
        (window, rows) ->
            text.append("window ")
                .append(window)
                .append(": performance on ")
                .append(rows)
                .append(" labelled rows\n"));
    return text.toString();
  }
}
