package dev.sluice.common.features;

import static java.util.Objects.requireNonNull;

import java.util.Map;

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
}
