package dev.sluice.jobs.reproduce;

import dev.sluice.common.run.JobResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The outcome of retraining one registered version. */
public record ReproduceResult(
    String model,
    long version,
    boolean match,
    double maxAbsDifference,
    Map<String, Double> recorded,
    Map<String, Double> reproduced,
    List<String> differences)
    implements JobResult {
  /** Exit code of a mismatch: the job ran, and the model did not reproduce. */
  public static final int MISMATCH_EXIT_CODE = 4;

  public ReproduceResult {
    recorded = Map.copyOf(recorded);
    reproduced = Map.copyOf(reproduced);
    differences = List.copyOf(differences);
  }

  @Override
  public String summary() {
    return String.format(
        "== sluice reproduce: %s v%d ==%nstatus         %s (largest difference %.3g)%nrecorded       %s%n"
            + "reproduced     %s%n%s",
        model,
        version,
        outcome().orElseThrow(),
        maxAbsDifference,
        new TreeMap<>(recorded),
        new TreeMap<>(reproduced),
        differences.isEmpty() ? "" : "differences    " + String.join("; ", differences) + "\n");
  }

  @Override
  public Optional<String> outcome() {
    return Optional.of(match ? "MATCH" : "MISMATCH");
  }

  @Override
  public int exitCode() {
    return match ? 0 : MISMATCH_EXIT_CODE;
  }
}
