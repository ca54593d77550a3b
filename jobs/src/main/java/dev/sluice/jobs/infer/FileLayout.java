package dev.sluice.jobs.infer;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.InferErrors;
import dev.sluice.common.dataset.CsvSpec;
import dev.sluice.common.dataset.SourceFormat;
import dev.sluice.common.parse.FieldSplitter;
import dev.sluice.common.parse.JsonFields;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a sampled file is laid out: JSON lines, or delimited text split by the delimiter and quote
 * that give the most sampled lines one same field count. The candidates are tried with ingest's own
 * {@link FieldSplitter}, so the layout chosen is one ingest reads as the sample was read.
 *
 * @param width the field count most lines have (CSV); 0 for JSON
 * @param fittingLines the sampled lines that split into {@code width} fields (CSV) or are one JSON
 *     object each
 * @param lines the sampled lines
 */
record FileLayout(
    SourceFormat format, String delimiter, String quote, int width, int fittingLines, int lines) {
  /** Delimiters tried, in order of preference when two split the sample equally well. */
  static final List<String> DELIMITERS = List.of(",", "\t", ";", "|");

  /** Quotes tried, likewise; the empty quote (no quoting) last. */
  static final List<String> QUOTES = List.of("\"", "'", "");

  FileLayout {
    requireNonNull(format, "format is null");
    requireNonNull(delimiter, "delimiter is null");
    requireNonNull(quote, "quote is null");
  }

  /** The layout of {@code lines}, the non-blank first lines of {@code file}. */
  static FileLayout detect(List<String> lines, String file) {
    if (lines.isEmpty()) {
      throw InferErrors.cannotInfer(
          file, "it holds no line of data", "Pass a file with data (and a header, if any).");
    }
    if (lines.get(0).strip().startsWith("{") && JsonFields.byKey(lines.get(0)).isPresent()) {
      int objects = (int) lines.stream().filter(l -> JsonFields.byKey(l).isPresent()).count();
      return new FileLayout(SourceFormat.JSON, ",", "\"", 0, objects, lines.size());
    }
    FileLayout best = null;
    for (String delimiter : DELIMITERS) {
      for (String quote : QUOTES) {
        Optional<FileLayout> candidate = csv(lines, delimiter, quote);
        if (candidate.isPresent()
            && (best == null || candidate.get().fittingLines() > best.fittingLines())) {
          best = candidate.get();
        }
      }
    }
    if (best == null) {
      throw InferErrors.cannotInfer(
          file,
          "none of the delimiters "
              + DELIMITERS.stream().map(FileLayout::shown).toList()
              + " splits its lines into two fields or more, and its first line is not a JSON"
              + " object",
          "infer reads delimited text with one of those delimiters, or JSON lines.");
    }
    return best;
  }

  /** How a delimiter or quote is shown to a user. */
  static String shown(String text) {
    return text.equals("\t") ? "tab" : text.isEmpty() ? "none" : "'" + text + "'";
  }

  /** The splitting of the data lines; {@code header} as decided. */
  CsvSpec csv(boolean header) {
    return new CsvSpec(delimiter, quote, header, true);
  }

  private static Optional<FileLayout> csv(List<String> lines, String delimiter, String quote) {
    FieldSplitter splitter = new FieldSplitter(new CsvSpec(delimiter, quote, false, true));
    Map<Integer, Integer> linesByWidth = new HashMap<>();
    for (String line : lines) {
      splitter.split(line).ifPresent(fields -> linesByWidth.merge(fields.size(), 1, Integer::sum));
    }
    int width = 0;
    int fitting = 0;
    for (Map.Entry<Integer, Integer> entry : linesByWidth.entrySet()) {
      if (entry.getValue() > fitting || (entry.getValue() == fitting && entry.getKey() > width)) {
        width = entry.getKey();
        fitting = entry.getValue();
      }
    }
    if (width < 2) {
      return Optional.empty();
    }
    return Optional.of(
        new FileLayout(SourceFormat.CSV, delimiter, quote, width, fitting, lines.size()));
  }
}
