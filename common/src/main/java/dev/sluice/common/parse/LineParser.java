package dev.sluice.common.parse;

import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.SourceFormat;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.dataset.ValueType;
import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Parses a line of a data set's file against its spec: splits it, types each field and checks the
 * value rules. Every line gets a verdict; nothing is padded, truncated or dropped.
 */
public final class LineParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final DatasetSpec spec;
  private final FieldSplitter splitter;
  private final List<Set<String>> allowed;
  private final Set<String> labelClasses;
  private final LabelPolicy labelPolicy;
  private final int labelIndex;

  public LineParser(DatasetSpec spec) {
    this(spec, LabelPolicy.REQUIRED);
  }

  public LineParser(DatasetSpec spec, LabelPolicy labelPolicy) {
    this.spec = spec;
    this.labelPolicy = labelPolicy;
    this.labelIndex = spec.columnNames().indexOf(spec.label().column());
    this.splitter = new FieldSplitter(spec.csv());
    this.allowed = new ArrayList<>();
    for (ColumnSpec column : spec.columns()) {
      allowed.add(column.values().isEmpty() ? null : new HashSet<>(column.values()));
    }
    this.labelClasses = new HashSet<>(spec.label().classes());
  }

  /** The fields of a header or data line, empty when its quoting (or JSON) is broken. */
  public Optional<List<String>> fields(String line) {
    return spec.format() == SourceFormat.JSON
        ? JsonFields.of(line, spec.sourceNames())
        : splitter.split(line);
  }

  /** Whether a line is skipped before parsing: blank, or starting with a comment prefix. */
  public Optional<LineKind> skipKind(String line) {
    if (line.isBlank()) {
      return Optional.of(LineKind.BLANK);
    }
    for (String prefix : spec.commentPrefixes()) {
      if (line.startsWith(prefix)) {
        return Optional.of(LineKind.COMMENT);
      }
    }
    return Optional.empty();
  }

  /** Parses a data line (not a header). */
  public ParsedLine parse(String line) {
    Optional<LineKind> skip = skipKind(line);
    if (skip.isPresent()) {
      return ParsedLine.skipped(skip.get());
    }
    Optional<List<String>> split =
        spec.format() == SourceFormat.JSON
            ? JsonFields.of(line, spec.sourceNames())
            : splitter.split(line);
    if (split.isEmpty()) {
      return quarantined(
          List.of(spec.format() == SourceFormat.JSON ? Reasons.BAD_JSON : Reasons.BAD_QUOTING));
    }
    List<String> fields = split.get();
    List<ColumnSpec> columns = spec.columns();
    if (!fitsWidth(fields.size())) {
      return quarantined(List.of(Reasons.FIELD_COUNT));
    }
    if (fields.size() < columns.size()) {
      fields = withNullLabel(fields);
    }
    Object[] values = new Object[columns.size()];
    List<String> reasons = new ArrayList<>(0);
    for (int i = 0; i < columns.size(); i++) {
      ColumnSpec column = columns.get(i);
      String field = fields.get(i);
      if (field == null || spec.isNullToken(field)) {
        if (column.role() == ColumnRole.LABEL && labelPolicy == LabelPolicy.OPTIONAL) {
          continue;
        }
        if (column.role() == ColumnRole.LABEL) {
          reasons.add(Reasons.MISSING_LABEL);
        } else if (!column.nullable()) {
          reasons.add(Reasons.missingValue(column.name()));
        }
        continue;
      }
      Object value = typed(column.type(), field);
      if (value == null) {
        reasons.add(Reasons.typeMismatch(column.name()));
        continue;
      }
      if (!inRange(column, value)) {
        reasons.add(Reasons.outOfRange(column.name()));
        continue;
      }
      if (column.role() == ColumnRole.LABEL && spec.task() != TaskType.REGRESSION) {
        if (!labelClasses.isEmpty() && !labelClasses.contains(spec.label().normalize(field))) {
          reasons.add(Reasons.UNKNOWN_LABEL);
          continue;
        }
      } else if (allowed.get(i) != null && !allowed.get(i).contains(field)) {
        reasons.add(Reasons.unknownValue(column.name()));
        continue;
      }
      values[i] = value;
    }
    return reasons.isEmpty()
        ? new ParsedLine(LineKind.ACCEPTED, values, List.of())
        : quarantined(reasons);
  }

  /** Whether a line may leave out the label column (one field fewer than the spec declares). */
  public boolean labelAbsentAllowed() {
    return labelPolicy == LabelPolicy.OPTIONAL && labelIndex >= 0;
  }

  /** Whether a line of {@code fields} fields fits: every column, or all but an absent label. */
  public boolean fitsWidth(int fields) {
    int width = spec.columns().size();
    return fields == width || (fields == width - 1 && labelAbsentAllowed());
  }

  /**
   * Whether {@code names} is a header this parser reads: every column's source name, or all but the
   * label's.
   */
  public boolean acceptsHeader(List<String> names) {
    return names.equals(spec.sourceNames())
        || (labelAbsentAllowed() && names.equals(sourceNamesWithoutLabel()));
  }

  /** The spec's source names without the label's: the header of a file that leaves it out. */
  public List<String> sourceNamesWithoutLabel() {
    List<String> names = new ArrayList<>(spec.sourceNames());
    if (labelIndex >= 0) {
      names.remove(labelIndex);
    }
    return names;
  }

  private List<String> withNullLabel(List<String> fields) {
    List<String> full = new ArrayList<>(fields);
    full.add(labelIndex, null);
    return full;
  }

  private static ParsedLine quarantined(List<String> reasons) {
    return new ParsedLine(LineKind.QUARANTINED, new Object[0], reasons);
  }

  private static boolean inRange(ColumnSpec column, Object value) {
    if (!(value instanceof Number number)) {
      return true;
    }
    return column.inBounds(number.doubleValue());
  }

  /** Whether a field reads as a value of {@code type}, as {@link #parse} reads it. */
  public static boolean parses(ValueType type, String field) {
    return typed(type, field) != null;
  }

  /** The field as a value of {@code type}, or null when it is not one. */
  static Object typed(ValueType type, String field) {
    try {
      return switch (type) {
        case STRING -> field;
        case INT -> Integer.parseInt(field);
        case LONG -> Long.parseLong(field);
        case DOUBLE -> {
          double value = Double.parseDouble(field);
          // "NaN" and "Infinity" parse, but they are not measurements.
          yield Double.isFinite(value) ? value : null;
        }
        case BOOLEAN ->
            switch (field.toLowerCase(Locale.ROOT)) {
              case "true" -> Boolean.TRUE;
              case "false" -> Boolean.FALSE;
              default -> null;
            };
        case DATE -> Date.valueOf(LocalDate.parse(field));
        case TIMESTAMP -> timestamp(field);
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  private static Timestamp timestamp(String field) {
    if (field.endsWith("Z")) {
      return Timestamp.from(Instant.parse(field));
    }
    if (field.length() > 19 && (field.charAt(19) == '+' || field.charAt(19) == '-')) {
      return Timestamp.from(OffsetDateTime.parse(field).toInstant());
    }
    return Timestamp.valueOf(LocalDateTime.parse(field.replace(' ', 'T')));
  }
}
