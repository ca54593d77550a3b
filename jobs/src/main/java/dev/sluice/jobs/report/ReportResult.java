package dev.sluice.jobs.report;

import dev.sluice.common.run.JobResult;
import java.util.Map;

/** Where the report went, and how many points each chart drew. */
public record ReportResult(
    String model, long version, String path, Map<String, Integer> chartPoints)
    implements JobResult {
  @Override
  public String summary() {
    return String.format("== sluice report: %s v%d ==%nreport         %s%n", model, version, path);
  }
}
