package dev.sluice.jobs.score;

import dev.sluice.common.run.JobResult;
import java.util.OptionalLong;

/** What one scoring run wrote. */
public record ScoreResult(
    String model,
    long modelVersion,
    String inputTable,
    long inputVersion,
    String filter,
    long rows,
    boolean alreadyScored,
    OptionalLong predictionsVersion,
    double seconds)
    implements JobResult {
  @Override
  public String summary() {
    return String.format(
        "== sluice score: %s v%d ==%ninput          %s v%d%s%nrows           %,d%s%n"
            + "predictions    %s%ntime           %.1f s%n",
        model,
        modelVersion,
        inputTable,
        inputVersion,
        filter.isEmpty() ? "" : " where " + filter,
        rows,
        alreadyScored
            ? filter.equals("no pending batch")
                ? " (nothing written)"
                : " (already scored by this model version: nothing written)"
            : "",
        predictionsVersion.isPresent()
            ? "sluice.predictions v" + predictionsVersion.getAsLong()
            : "unchanged",
        seconds);
  }
}
