package dev.sluice.jobs.infer;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.parse.LineParser;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the sample says about one column: its non-null values with their counts, its nulls, and its
 * type. The type is the first of int, long, double, boolean, date and timestamp that ingest's own
 * parser ({@link LineParser#parses}) reads every sampled value as, else string, so the rows the
 * file was inferred from never fail their own type check.
 */
final class ColumnSample {
  /** The types tried, narrowest first; string takes anything. */
  private static final List<ValueType> TYPES_TRIED =
      List.of(
          ValueType.INT,
          ValueType.LONG,
          ValueType.DOUBLE,
          ValueType.BOOLEAN,
          ValueType.DATE,
          ValueType.TIMESTAMP);

  /** A whole number written with a leading zero ("007"): a code whose zeros a number would drop. */
  private static final Pattern LEADING_ZERO = Pattern.compile("[+-]?0[0-9]+");

  private final String sourceName;
  private final int rows;
  private final int nulls;
  private final Map<String, Integer> counts;
  private final boolean codes;
  private final ValueType type;

  private ColumnSample(String sourceName, int rows, int nulls, Map<String, Integer> counts) {
    this.sourceName = requireNonNull(sourceName, "sourceName is null");
    this.rows = rows;
    this.nulls = nulls;
    this.counts = counts;
    this.codes = counts.keySet().stream().anyMatch(v -> LEADING_ZERO.matcher(v).matches());
    this.type = codes ? ValueType.STRING : detectType(counts.keySet());
  }

  /** The column's fields, one per sampled row; a field in {@code nullTokens} is a null. */
  static ColumnSample of(String sourceName, List<String> fields, Set<String> nullTokens) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    int nulls = 0;
    for (String field : fields) {
      if (nullTokens.contains(field)) {
        nulls++;
      } else {
        counts.merge(field, 1, Integer::sum);
      }
    }
    return new ColumnSample(sourceName, fields.size(), nulls, counts);
  }

  private static ValueType detectType(Collection<String> values) {
    if (values.isEmpty()) {
      return ValueType.STRING;
    }
    for (ValueType candidate : TYPES_TRIED) {
      if (values.stream().allMatch(v -> LineParser.parses(candidate, v))) {
        return candidate;
      }
    }
    return ValueType.STRING;
  }

  String sourceName() {
    return sourceName;
  }

  int rows() {
    return rows;
  }

  int nulls() {
    return nulls;
  }

  int nonNull() {
    return rows - nulls;
  }

  int distinct() {
    return counts.size();
  }

  /** Each non-null value with the number of rows holding it, in order of first appearance. */
  Map<String, Integer> counts() {
    return counts;
  }

  ValueType type() {
    return type;
  }

  /** Whether whole numbers with leading zeros made the column text. */
  boolean codes() {
    return codes;
  }

  /** Values seen in one row only: by Good-Turing, their share estimates that of unseen values. */
  int seenOnce() {
    return (int) counts.values().stream().filter(c -> c == 1).count();
  }

  /** The values sorted: by number when the column is numeric, else as text. */
  List<String> sortedValues() {
    Comparator<String> order =
        type.isNumeric()
            ? Comparator.comparingDouble(Double::parseDouble)
            : Comparator.<String>naturalOrder();
    return counts.keySet().stream().sorted(order).toList();
  }

  /** The smallest value of a numeric column. */
  double min() {
    return counts.keySet().stream().mapToDouble(Double::parseDouble).min().orElseThrow();
  }

  /** The largest value of a numeric column. */
  double max() {
    return counts.keySet().stream().mapToDouble(Double::parseDouble).max().orElseThrow();
  }

  /** Whether a numeric column holds whole numbers only (1.0 is one). */
  boolean wholeNumbers() {
    return type.isNumeric()
        && counts.keySet().stream()
            .mapToDouble(Double::parseDouble)
            .allMatch(v -> v == Math.rint(v));
  }

  /** Whether a numeric column holds each whole number of a run once: a row number. */
  boolean consecutive() {
    return wholeNumbers() && distinct() == nonNull() && max() - min() + 1 == distinct();
  }
}
