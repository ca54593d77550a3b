package dev.sluice.common.parse;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The outcome of parsing one line: its kind, the typed values in column order (accepted rows only)
 * and the reasons it was quarantined.
 */
public record ParsedLine(LineKind kind, Object[] values, List<String> reasons) {
  public ParsedLine {
    requireNonNull(kind, "kind is null");
    requireNonNull(values, "values is null");
    reasons = List.copyOf(reasons);
  }

  static ParsedLine skipped(LineKind kind) {
    return new ParsedLine(kind, new Object[0], List.of());
  }
}
