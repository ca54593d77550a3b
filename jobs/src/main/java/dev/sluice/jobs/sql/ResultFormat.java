package dev.sluice.jobs.sql;

import java.util.List;
import java.util.Locale;

/** How the shell prints a result: an aligned table for people, CSV or JSON lines for programs. */
enum ResultFormat {
  TABLE,
  CSV,
  JSON;

  static ResultFormat parse(String name) {
    for (ResultFormat format : values()) {
      if (format.name().equalsIgnoreCase(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown format '" + name + "': expected table, csv or json");
  }

  String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * An aligned table: a header, a rule, one line per row, with {@code NULL} for nulls; numbers are
   * not treated specially, so what is printed is exactly Spark's string form of each value.
   */
  static String table(List<String> columns, List<List<String>> rows) {
    int[] widths = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      widths[c] = columns.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], shown(row.get(c)).length());
      }
    }
    StringBuilder out = new StringBuilder();
    StringBuilder rule = new StringBuilder("+");
    for (int width : widths) {
      rule.append("-".repeat(width + 2)).append('+');
    }
    out.append(rule).append('\n');
    appendLine(out, columns, widths);
    out.append(rule).append('\n');
    for (List<String> row : rows) {
      appendLine(out, row, widths);
    }
    out.append(rule).append('\n');
    return out.toString();
  }

  private static String shown(String value) {
    return value == null ? "NULL" : value.replace("\n", "\\n");
  }

  private static void appendLine(StringBuilder out, List<String> values, int[] widths) {
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      String value = shown(values.get(c));
      out.append(' ').append(value).append(" ".repeat(widths[c] - value.length())).append(" |");
    }
    out.append('\n');
  }

  /** RFC 4180 CSV with a header; a null is an empty field, an empty string is {@code ""}. */
  static String csv(List<String> columns, List<List<String>> rows) {
    StringBuilder out = new StringBuilder();
    appendCsv(out, columns);
    for (List<String> row : rows) {
      appendCsv(out, row);
    }
    return out.toString();
  }

  private static void appendCsv(StringBuilder out, List<String> values) {
    for (int c = 0; c < values.size(); c++) {
      if (c > 0) {
        out.append(',');
      }
      String value = values.get(c);
      if (value == null) {
        continue;
      }
      if (value.isEmpty() || value.matches("(?s).*[\",\\r\\n].*")) {
        out.append('"').append(value.replace("\"", "\"\"")).append('"');
      } else {
        out.append(value);
      }
    }
    out.append('\n');
  }
}
