package dev.sluice.jobs.sql;

import dev.sluice.common.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits SQL text into statements at semicolons outside quotes, backticks and comments, the way a
 * SQL shell reads a script.
 */
final class SqlScript {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private SqlScript() {}

  /**
   * Replaces every {@code ${name}} in a statement with its value from {@code --var name=value}.
   *
   * @throws dev.sluice.common.SluiceException naming the first variable that has no value
   */
  static String substitute(String statement, Map<String, String> variables) {
    Matcher matcher = VARIABLE.matcher(statement);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = variables.get(matcher.group(1));
      if (value == null) {
        throw Errors.unsetVariable(matcher.group(1));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** The complete statements of {@code text}, trimmed, without their semicolons; blanks dropped. */
  static List<String> statements(String text) {
    Split split = split(text);
    List<String> statements = new ArrayList<>(split.complete());
    if (!split.rest().isBlank()) {
      statements.add(split.rest().strip());
    }
    return statements;
  }

  /**
   * The statements that end with a semicolon, and the unfinished text after the last one: an
   * interactive shell runs the former and keeps reading for the latter.
   */
  static Split split(String text) {
    List<String> complete = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    boolean lineComment = false;
    boolean blockComment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (lineComment) {
        if (c == '\n') {
          lineComment = false;
          current.append(c);
        }
        continue;
      }
      if (blockComment) {
        if (c == '*' && next == '/') {
          blockComment = false;
          i++;
        }
        continue;
      }
      if (quote != 0) {
        current.append(c);
        if (c == '\\' && quote != '`' && next != 0) {
          current.append(next);
          i++;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (c == '-' && next == '-') {
        lineComment = true;
        i++;
      } else if (c == '/' && next == '*') {
        blockComment = true;
        i++;
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
        current.append(c);
      } else if (c == ';') {
        if (!current.toString().isBlank()) {
          complete.add(current.toString().strip());
        }
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    return new Split(List.copyOf(complete), current.toString());
  }

  /** Complete statements and the unfinished rest. */
  record Split(List<String> complete, String rest) {}
}
