package dev.sluice.jobs.ingest;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.SluiceException;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.IngestSettings.QuarantinePolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * When a batch's quarantined rows reject it whole: any of them under the fail-fast policy,
 * otherwise a share of the data rows above {@code maxRate}.
 */
record QuarantineLimit(QuarantinePolicy policy, double maxRate) {
  private static final int TOP_REASONS_IN_ERROR = 5;

  QuarantineLimit {
    requireNonNull(policy, "policy is null");
  }

  static QuarantineLimit of(IngestSettings settings) {
    return new QuarantineLimit(settings.policy(), settings.maxQuarantineRate());
  }

  boolean exceededBy(BatchCounts counts) {
    if (counts.quarantined() == 0) {
      return false;
    }
    double rate = (double) counts.quarantined() / counts.dataRows();
    return policy == QuarantinePolicy.FAIL_FAST || rate > maxRate;
  }

  /** The rejection of a batch, with its most frequent reasons. */
  SluiceException error(String batchId, BatchCounts counts) {
    Map<String, Long> top =
        counts.reasons().entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(TOP_REASONS_IN_ERROR)
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    boolean failFast = policy == QuarantinePolicy.FAIL_FAST;
    return Errors.quarantineRateExceeded(
        batchId, counts.quarantined(), counts.dataRows(), failFast ? 0.0 : maxRate, top);
  }
}
