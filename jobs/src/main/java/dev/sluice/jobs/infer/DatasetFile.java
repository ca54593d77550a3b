package dev.sluice.jobs.infer;

import com.typesafe.config.ConfigUtil;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.SourceFormat;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.SplitSpec;
import dev.sluice.common.settings.InferSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The text of a drafted data-set file: every choice with its reason in a comment above it. */
final class DatasetFile {
  /** Text HOCON reads as the same string unquoted; anything else is quoted. */
  private static final Pattern BARE = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  /** Unquoted words HOCON reads as something other than a string. */
  private static final Set<String> KEYWORDS =
      Set.of("true", "false", "null", "yes", "no", "on", "off", "include");

  /** Columns named in a reason, at most: the rest are counted. */
  private static final int COLUMNS_NAMED = 3;

  /** How far a reason line runs before it wraps. */
  private static final int LINE_WIDTH = 116;

  private final StringBuilder text = new StringBuilder();

  private DatasetFile() {}

  static String render(
      InferSettings settings, SampledTable table, TaskDraft task, List<ColumnDraft> columns) {
    return new DatasetFile().write(settings, table, task, columns);
  }

  private String write(
      InferSettings settings, SampledTable table, TaskDraft task, List<ColumnDraft> columns) {
    comment(
        "",
        String.format(
            Locale.ROOT,
            "Data set '%s', drafted by scripts/spark-submit infer from %s: %s. Each choice has its"
                + " reason in the comment above it; edit what the sample got wrong. infer never"
                + " overwrites this file unless given --force.",
            settings.name(),
            settings.file(),
            table.wholeFile()
                ? String.format(
                    Locale.ROOT, "all its %,d data lines", table.rowCount() + table.unfitLines())
                : String.format(
                    Locale.ROOT,
                    "its first %,d data lines (the file has more)",
                    table.rowCount() + table.unfitLines())));
    line("", "sluice.dataset {");
    line("  ", "name = " + bare(settings.name()));
    format(table);
    nullTokens(table);
    line("  ", "sources {");
    comment("    ", "The file infer read; list more files, or a glob, as the data grows.");
    line("    ", "train = " + list(List.of(settings.file())));
    line("  ", "}");
    comment("  ", task.taskReason());
    line("  ", "task = " + lower(task.task()));
    if (task.task() != TaskType.REGRESSION) {
      line("  ", "label {");
      comment("    ", task.classesReason());
      line("    ", "classes = " + list(task.classes()));
      if (task.task() == TaskType.BINARY) {
        comment("    ", task.positiveReason());
        line("    ", "positive-class = " + string(task.positiveClass()));
      }
      line("  ", "}");
    }
    comment(
        "  ",
        "The columns in file order. A numeric column's sample range is written commented out:"
            + " a bound quarantines every row outside it, and a new value falls outside the range"
            + " of n sampled values with probability 2/(n+1) by chance alone, so uncomment a"
            + " bound only where it is a hard limit.");
    line("  ", "columns = [");
    for (ColumnDraft column : columns) {
      column(column);
    }
    line("  ", "]");
    line("", "}");
    text.append('\n');
    split(settings.split());
    return text.toString();
  }

  private void format(SampledTable table) {
    FileLayout layout = table.layout();
    if (layout.format() == SourceFormat.JSON) {
      comment(
          "  ",
          String.format(
              Locale.ROOT,
              "json: %,d of the %,d sampled lines are JSON objects%s.",
              layout.fittingLines(),
              layout.lines(),
              unfit(table)));
      line("  ", "format = json");
      return;
    }
    comment("  ", "csv: the first line is not a JSON object.");
    line("  ", "format = csv");
    line("  ", "csv {");
    comment(
        "    ",
        String.format(
            Locale.ROOT,
            "%s splits %,d of the %,d sampled lines into %d fields (tried %s)%s.",
            FileLayout.shown(layout.delimiter()),
            layout.fittingLines(),
            layout.lines(),
            layout.width(),
            FileLayout.DELIMITERS.stream().map(FileLayout::shown).collect(Collectors.joining(", ")),
            unfit(table)));
    line("    ", "delimiter = " + string(layout.delimiter()));
    comment(
        "    ",
        switch (layout.quote()) {
          case "\"" -> "The usual quote: a field in quotes may hold the delimiter.";
          case "" ->
              "No quoting: with '\"' or ''' as the quote fewer lines split into "
                  + layout.width()
                  + " fields.";
          default ->
              "Quotes are "
                  + FileLayout.shown(layout.quote())
                  + ": with '\"' as the quote fewer lines split into "
                  + layout.width()
                  + " fields.";
        });
    line("    ", "quote = " + string(layout.quote()));
    comment("    ", capitalized(table.headerReason()) + ".");
    line("    ", "header = " + table.header());
    line("  ", "}");
  }

  private static String unfit(SampledTable table) {
    return table.unfitLines() == 0
        ? ""
        : String.format(
            Locale.ROOT,
            "; ingest quarantines the lines that do not fit (%,d of the sampled data lines, as %s)",
            table.unfitLines(),
            table.layout().format() == SourceFormat.JSON
                ? "BAD_JSON"
                : "FIELD_COUNT or BAD_QUOTING");
  }

  private void nullTokens(SampledTable table) {
    StringBuilder reason = new StringBuilder("Read as null: the empty field (always)");
    for (Map.Entry<String, SampledTable.NullToken> token : table.nullTokensSeen().entrySet()) {
      List<String> columns = token.getValue().columns();
      reason
          .append(", ")
          .append(string(token.getKey()))
          .append(
              String.format(
                  Locale.ROOT,
                  " (%s, in %s)",
                  token.getValue().count() == 1
                      ? "once"
                      : String.format(Locale.ROOT, "%,d times", token.getValue().count()),
                  columns.size() <= COLUMNS_NAMED
                      ? String.join(", ", columns)
                      : String.join(", ", columns.subList(0, COLUMNS_NAMED))
                          + " and "
                          + (columns.size() - COLUMNS_NAMED)
                          + " more"));
    }
    comment("  ", reason + ".");
    line("  ", "null-tokens = " + list(table.nullTokens()));
  }

  private void column(ColumnDraft column) {
    ColumnSpec spec = column.spec();
    String reason = column.reason();
    if (spec.renamed()) {
      reason =
          "In the file "
              + string(spec.sourceName())
              + ", which is not a plain column name. "
              + reason;
    }
    comment("    ", reason);
    StringBuilder object = new StringBuilder("{ name = ").append(bare(spec.name()));
    if (spec.renamed()) {
      object.append(", source-name = ").append(string(spec.sourceName()));
    }
    object.append(", role = ").append(lower(spec.role()));
    object.append(", type = ").append(lower(spec.type()));
    if (spec.role() != ColumnRole.LABEL) {
      object.append(", nullable = ").append(spec.nullable());
    }
    if (!spec.values().isEmpty()) {
      object.append(", values = ").append(list(spec.values()));
    }
    if (column.disabled().isEmpty()) {
      line("    ", object.append(" }").toString());
      return;
    }
    line("    ", object.toString());
    for (String disabled : column.disabled()) {
      line("      ", "# " + disabled);
    }
    line("    ", "}");
  }

  private void split(SplitSpec split) {
    line("", "sluice.features {");
    comment(
        "  ",
        split.method() == SplitSpec.Method.HASH
            ? "The file is the data set's only source: a seeded hash of each row's row_id puts it"
                + " in train, validation or test, and keeps it there across re-runs. The values"
                + " are sluice.features.split's when infer ran."
            : "sluice.features.split as it was set when infer ran.");
    StringBuilder line =
        new StringBuilder("split { method = ")
            .append(lower(split.method()))
            .append(", seed = ")
            .append(split.seed())
            .append(", train = ")
            .append(number(split.train()))
            .append(", validation = ")
            .append(number(split.validation()))
            .append(", test = ")
            .append(number(split.test()));
    if (!split.bySource().isEmpty()) {
      line.append(", by-source { ")
          .append(
              split.bySource().entrySet().stream()
                  .map(e -> string(e.getKey()) + " = " + e.getValue())
                  .collect(Collectors.joining(", ")))
          .append(" }");
    }
    line("  ", line.append(" }").toString());
    line("", "}");
  }

  /** A comment, wrapped at the line width. */
  private void comment(String indent, String comment) {
    StringBuilder current = new StringBuilder();
    for (String word : comment.split(" ")) {
      if (current.length() > 0
          && indent.length() + 2 + current.length() + word.length() > LINE_WIDTH) {
        line(indent, "# " + current);
        current.setLength(0);
      }
      if (current.length() > 0) {
        current.append(' ');
      }
      current.append(word);
    }
    line(indent, "# " + current);
  }

  private void line(String indent, String content) {
    text.append(indent).append(content).append('\n');
  }

  /** A string as HOCON reads it back: quoted and escaped. */
  static String string(String value) {
    return ConfigUtil.quoteString(value);
  }

  /** A name, unquoted where HOCON reads it back unchanged. */
  static String bare(String value) {
    return BARE.matcher(value).matches() && !KEYWORDS.contains(value.toLowerCase(Locale.ROOT))
        ? value
        : string(value);
  }

  static String list(List<String> values) {
    return values.stream().map(DatasetFile::string).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A number as HOCON reads it back: whole numbers without a fraction. */
  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.valueOf((long) value)
        : String.valueOf(value);
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String capitalized(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
