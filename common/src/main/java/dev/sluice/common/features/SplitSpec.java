package dev.sluice.common.features;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * How a snapshot's rows are assigned to train, validation and test: by a seeded hash of the row id
 * into the three fractions, or by the source each row came from ({@code bySource}: source to
 * split).
 */
public record SplitSpec(
    SplitSpec.Method method,
    long seed,
    double train,
    double validation,
    double test,
    Map<String, String> bySource) {
  /** How rows are assigned to train, validation and test. */
  public enum Method {
    HASH,
    SOURCE
  }

  public SplitSpec {
    requireNonNull(method, "method is null");
    bySource = Map.copyOf(bySource);
  }

  /** The split in words, the same in every JVM (sources in name order). */
  public String describe() {
    String fractions =
        "seed " + seed + ", train " + train + ", validation " + validation + ", test " + test;
    return method == Method.HASH
        ? "hash, " + fractions
        : "by source " + new TreeMap<>(bySource) + ", others hashed, " + fractions;
  }
}
