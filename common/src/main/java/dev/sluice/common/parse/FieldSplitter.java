package dev.sluice.common.parse;

import dev.sluice.common.dataset.CsvSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits one delimited line into fields. Unlike Spark's CSV reader it never pads or truncates: the
 * caller sees the real field count. A delimiter may be longer than one character; a quoted field
 * may contain the delimiter and doubled quotes.
 */
public final class FieldSplitter implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String delimiter;
  private final char quote;
  private final boolean quoting;
  private final boolean trim;

  public FieldSplitter(CsvSpec spec) {
    this.delimiter = spec.delimiter();
    this.quoting = !spec.quote().isEmpty();
    this.quote = quoting ? spec.quote().charAt(0) : 0;
    this.trim = spec.trim();
  }

  /**
   * The fields of {@code line}, or empty when its quoting is malformed (an unclosed quote, text
   * after one).
   */
  public Optional<List<String>> split(String line) {
    List<String> fields = new ArrayList<>();
    int length = line.length();
    int position = 0;
    while (true) {
      int start = skipSpaces(line, position);
      if (quoting && start < length && line.charAt(start) == quote) {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        boolean closed = false;
        while (i < length) {
          char c = line.charAt(i);
          if (c == quote) {
            if (i + 1 < length && line.charAt(i + 1) == quote) {
              value.append(quote);
              i += 2;
              continue;
            }
            closed = true;
            i++;
            break;
          }
          value.append(c);
          i++;
        }
        if (!closed) {
          return Optional.empty();
        }
        int end = skipSpaces(line, i);
        if (end == length) {
          fields.add(value.toString());
          return Optional.of(fields);
        }
        if (!line.startsWith(delimiter, end)) {
          return Optional.empty();
        }
        fields.add(value.toString());
        position = end + delimiter.length();
      } else {
        int next = line.indexOf(delimiter, position);
        int end = next < 0 ? length : next;
        if (quoting && indexOf(line, quote, position, end) >= 0) {
          // A quote inside an unquoted field is how broken quoting usually shows.
          return Optional.empty();
        }
        // The field's bounds are trimmed before it is cut: one string per field, not two.
        int from = position;
        if (trim) {
          while (from < end && Character.isWhitespace(line.charAt(from))) {
            from++;
          }
          while (end > from && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
          }
        }
        fields.add(line.substring(from, end));
        if (next < 0) {
          return Optional.of(fields);
        }
        position = next + delimiter.length();
      }
    }
  }

  private static int indexOf(String line, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (line.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private int skipSpaces(String line, int from) {
    if (!trim) {
      return from;
    }
    int i = from;
    while (i < line.length() && line.charAt(i) == ' ' && !line.startsWith(delimiter, i)) {
      i++;
    }
    return i;
  }
}
