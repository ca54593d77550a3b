package dev.sluice.jobs.infer;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.settings.InferSettings;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One column of the drafted file: its spec, the reason written above it, and the settings written
 * commented out inside it.
 *
 * <p>What the sample cannot vouch for is not enforced. A numeric column's range is written
 * commented out: a bound quarantines every row outside it, and a new value falls outside the range
 * of n sampled values with probability 2/(n+1) by chance alone (for continuous values, each of the
 * n+1 is equally likely to be the extreme), which over many columns and rows would quarantine good
 * data. A categorical column's values are enforced only when no value was seen just once:
 * Good-Turing estimates the chance that the next row brings an unseen value as the share of rows
 * whose value was seen once, so with none it is small; otherwise they are written commented out.
 * Nullability follows the sample: a column never null in it is {@code nullable = false}, since a
 * column whose true null rate is p shows no null in n rows with probability (1-p)^n, so one that
 * does not is likely (p below 3/n at 95%) never or hardly ever null, and a null in it is worth
 * quarantining.
 *
 * @param reason the comment above the column: its type, role and nullability, and why
 * @param disabled settings written commented out inside the column's object
 */
record ColumnDraft(ColumnSpec spec, String reason, List<String> disabled) {
  /**
   * Fewer sampled rows than this tell nothing about uniqueness: in a few rows most columns are
   * unique.
   */
  static final int MIN_ROWS_TO_JUDGE_UNIQUENESS = 20;

  /**
   * A text column with more distinct values than this share of its rows is free text or a code:
   * most of its levels would fall below the categorical min-count.
   */
  static final double NEAR_UNIQUE_SHARE = 0.5;

  /** A header name that says identifier: id, uuid, guid, key or index as a word. */
  private static final Pattern ID_NAME =
      Pattern.compile("(^|[^a-z])(id|uuid|guid|key|index)([^a-z]|$)");

  private static final double INF = Double.POSITIVE_INFINITY;

  ColumnDraft {
    requireNonNull(spec, "spec is null");
    requireNonNull(reason, "reason is null");
    disabled = List.copyOf(disabled);
  }

  /** The label column: its type from the task. */
  static ColumnDraft label(String name, ColumnSample sample, TaskDraft task, String label) {
    String reason = "The label (--label " + label + ")";
    if (sample.nulls() > 0) {
      reason +=
          String.format(
              Locale.ROOT,
              "; %,d of %,d sampled rows have none, and ingest quarantines them (MISSING_LABEL)",
              sample.nulls(),
              sample.rows());
    }
    return new ColumnDraft(
        new ColumnSpec(
            name,
            ColumnRole.LABEL,
            task.labelType(),
            true,
            -INF,
            INF,
            List.of(),
            sample.sourceName()),
        reason + ".",
        List.of());
  }

  /** A column other than the label. */
  static ColumnDraft of(String name, ColumnSample sample, InferSettings settings) {
    ValueType type = sample.type();
    boolean nullable = sample.nulls() > 0;
    String nulls =
        nullable
            ? String.format(Locale.ROOT, "%,d nulls in %,d rows", sample.nulls(), sample.rows())
            : "never null in the sample";
    if (sample.nonNull() == 0) {
      return draft(
          name,
          sample,
          ColumnRole.IGNORE,
          ValueType.STRING,
          true,
          List.of(),
          "Null in every sampled row: kept in the raw table, not a feature.",
          List.of());
    }
    String typed = typeReason(sample);
    if (type == ValueType.DATE || type == ValueType.TIMESTAMP) {
      return draft(
          name,
          sample,
          ColumnRole.TIMESTAMP,
          type,
          nullable,
          List.of(),
          typed + "; a time, not a feature (derive one from it if it matters); " + nulls + ".",
          List.of());
    }
    if (sample.distinct() == 1) {
      return draft(
          name,
          sample,
          ColumnRole.IGNORE,
          type,
          nullable,
          List.of(),
          typed
              + "; one value, \""
              + sample.sortedValues().get(0)
              + "\", in every non-null sampled row: nothing to learn from; "
              + nulls
              + ".",
          List.of());
    }
    if (idLike(sample)) {
      return draft(
          name,
          sample,
          ColumnRole.ID,
          ValueType.STRING,
          false,
          List.of(),
          String.format(
              Locale.ROOT,
              "A different value in each of the %,d sampled rows%s: an identifier, not a feature."
                  + " The first id column gives each row its row_id; make it role = ignore if its"
                  + " values may repeat.",
              sample.rows(),
              sample.type() == ValueType.STRING ? "" : idNumberReason(sample)),
          List.of());
    }
    if (type.isNumeric()) {
      return draft(
          name,
          sample,
          ColumnRole.NUMERIC,
          type,
          nullable,
          List.of(),
          String.format(
              Locale.ROOT,
              "%s; numeric: %,d distinct values from %s to %s; %s.",
              typed,
              sample.distinct(),
              DatasetFile.number(sample.min()),
              DatasetFile.number(sample.max()),
              nulls),
          List.of(
              "min = "
                  + DatasetFile.number(sample.min())
                  + ", max = "
                  + DatasetFile.number(sample.max())));
    }
    if (type == ValueType.STRING
        && sample.nonNull() >= MIN_ROWS_TO_JUDGE_UNIQUENESS
        && sample.distinct() > NEAR_UNIQUE_SHARE * sample.nonNull()) {
      return draft(
          name,
          sample,
          ColumnRole.IGNORE,
          type,
          nullable,
          List.of(),
          String.format(
              Locale.ROOT,
              "%s: %,d distinct values in %,d non-null rows, free text or a code; as a categorical"
                  + " most of its levels would be too rare to learn from; %s.",
              typed,
              sample.distinct(),
              sample.nonNull(),
              nulls),
          List.of());
    }
    String levels =
        String.format(
            Locale.ROOT, "%s; categorical: %,d distinct values", typed, sample.distinct());
    if (type == ValueType.BOOLEAN || sample.distinct() > settings.maxListedValues()) {
      return draft(
          name,
          sample,
          ColumnRole.CATEGORICAL,
          type,
          nullable,
          List.of(),
          levels + "; " + nulls + ".",
          List.of());
    }
    List<String> values = sample.sortedValues();
    int seenOnce = sample.seenOnce();
    if (seenOnce == 0) {
      return draft(
          name,
          sample,
          ColumnRole.CATEGORICAL,
          type,
          nullable,
          values,
          levels
              + ", each seen twice or more, so listed: a row with another is quarantined"
              + " (UNKNOWN_VALUE); "
              + nulls
              + ".",
          List.of());
    }
    return draft(
        name,
        sample,
        ColumnRole.CATEGORICAL,
        type,
        nullable,
        List.of(),
        levels
            + ", "
            + seenOnce
            + " of them seen once, so others may come: the list is not enforced; "
            + nulls
            + ".",
        List.of("values = " + DatasetFile.list(values)));
  }

  private static ColumnDraft draft(
      String name,
      ColumnSample sample,
      ColumnRole role,
      ValueType type,
      boolean nullable,
      List<String> values,
      String reason,
      List<String> disabled) {
    return new ColumnDraft(
        new ColumnSpec(name, role, type, nullable, -INF, INF, values, sample.sourceName()),
        reason,
        disabled);
  }

  /**
   * Unique, never null, in enough rows, and text, or whole numbers that are a run (a row number) or
   * named as an identifier: a unique column of measurements is not an identifier.
   */
  private static boolean idLike(ColumnSample sample) {
    if (sample.nulls() > 0
        || sample.rows() < MIN_ROWS_TO_JUDGE_UNIQUENESS
        || sample.distinct() != sample.rows()) {
      return false;
    }
    return switch (sample.type()) {
      case STRING -> true;
      case INT, LONG -> sample.consecutive() || idName(sample.sourceName());
      default -> false;
    };
  }

  private static boolean idName(String sourceName) {
    return ID_NAME.matcher(sourceName.toLowerCase(Locale.ROOT)).find();
  }

  private static String idNumberReason(ColumnSample sample) {
    return sample.consecutive()
        ? ", a run of whole numbers ("
            + DatasetFile.number(sample.min())
            + " to "
            + DatasetFile.number(sample.max())
            + ")"
        : ", whole numbers under a name that says identifier";
  }

  private static String typeReason(ColumnSample sample) {
    return switch (sample.type()) {
      case INT -> "int (whole numbers)";
      case LONG -> "long (whole numbers, some beyond int's range)";
      case DOUBLE -> "double (numbers)";
      case BOOLEAN -> "boolean (true and false)";
      case DATE -> "date (ISO dates, 2024-01-31)";
      case TIMESTAMP -> "timestamp (ISO date-times, 2024-01-31T12:00:00)";
      case STRING ->
          sample.codes()
              ? "string (whole numbers with leading zeros are codes, kept as text)"
              : "string";
    };
  }
}
