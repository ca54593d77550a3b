package dev.sluice.common.dataset;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/** One column of a data set as its data-set file declares it; an unset bound is an infinite one. */
public record ColumnSpec(
    String name,
    ColumnRole role,
    ValueType type,
    boolean nullable,
    double min,
    double max,
    List<String> values)
    implements Serializable {
  public ColumnSpec {
    requireNonNull(name, "name is null");
    requireNonNull(role, "role is null");
    requireNonNull(type, "type is null");
    if (Double.isNaN(min) || Double.isNaN(max)) {
      throw new IllegalArgumentException("bounds must not be NaN");
    }
    values = List.copyOf(requireNonNull(values, "values is null"));
  }

  /** Whether {@code x} lies within the inclusive bounds; an unset bound is infinite. */
  public boolean inBounds(double x) {
    return x >= min && x <= max;
  }

  public boolean hasBounds() {
    return min != Double.NEGATIVE_INFINITY || max != Double.POSITIVE_INFINITY;
  }

  /** The allowed values, or empty when any value is allowed. */
  public Optional<List<String>> allowedValues() {
    return values.isEmpty() ? Optional.empty() : Optional.of(values);
  }
}
