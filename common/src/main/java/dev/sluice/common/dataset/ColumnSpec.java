package dev.sluice.common.dataset;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * One column of a data set as its data-set file declares it; an unset bound is an infinite one.
 * {@code name} is the table column's name, a plain identifier; {@code sourceName} is the name the
 * column has in the files (a CSV header name or a JSON key), which may be any text.
 */
public record ColumnSpec(
    String name,
    ColumnRole role,
    ValueType type,
    boolean nullable,
    double min,
    double max,
    List<String> values,
    String sourceName)
    implements Serializable {
  public ColumnSpec {
    requireNonNull(name, "name is null");
    requireNonNull(sourceName, "sourceName is null");
    requireNonNull(role, "role is null");
    requireNonNull(type, "type is null");
    if (Double.isNaN(min) || Double.isNaN(max)) {
      throw new IllegalArgumentException("bounds must not be NaN");
    }
    values = List.copyOf(requireNonNull(values, "values is null"));
  }

  /** A column whose files name it as the table does. */
  public ColumnSpec(
      String name,
      ColumnRole role,
      ValueType type,
      boolean nullable,
      double min,
      double max,
      List<String> values) {
    this(name, role, type, nullable, min, max, values, name);
  }

  /** Whether the files name this column otherwise than the table does. */
  public boolean renamed() {
    return !sourceName.equals(name);
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

  /**
   * What the column holds, as the data-set file declares it: its comment in the raw table and the
   * snapshot.
   */
  public String describe(String dataset) {
    StringBuilder text =
        new StringBuilder(
            switch (role) {
              case NUMERIC -> "Numeric feature";
              case CATEGORICAL -> "Categorical feature";
              case LABEL -> "Label (as read, before suffixes are stripped)";
              case ID -> "Row identifier";
              case TIMESTAMP -> "Timestamp";
              case IGNORE -> "Column kept but not used as a feature";
            });
    text.append(" of data set '")
        .append(dataset)
        .append("' (")
        .append(type.name().toLowerCase(java.util.Locale.ROOT));
    if (min != Double.NEGATIVE_INFINITY || max != Double.POSITIVE_INFINITY) {
      text.append(", range ").append(bound(min)).append(" to ").append(bound(max));
    }
    if (!values.isEmpty()) {
      text.append(", ").append(values.size()).append(" allowed values");
    }
    text.append(nullable ? ", may be null" : ", never null");
    if (renamed()) {
      text.append(", source column \"").append(sourceName).append('"');
    }
    return text.append(").").toString();
  }

  private static String bound(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+inf" : "-inf";
    }
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
