package dev.sluice.jobs.infer;

import com.typesafe.config.ConfigUtil;
import dev.sluice.common.InferErrors;
import dev.sluice.common.dataset.SourceFormat;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.parse.FieldSplitter;
import dev.sluice.common.parse.JsonFields;
import dev.sluice.common.parse.LineParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sample as a table: whether its first line is a header, the columns' names in the file, the
 * data rows split into fields, and the null tokens they hold.
 *
 * <p>A first line is a header when its fields are distinct and one of them names the label, or when
 * more of its fields fail the type of the values below them than fit it (Python's {@code
 * csv.Sniffer.has_header} votes the same way). Without a header the columns are named {@code
 * column_1}, {@code column_2}, ... JSON lines name their columns by their keys, in the order first
 * seen.
 */
final class SampledTable {
  private final FileLayout layout;
  private final boolean header;
  private final String headerReason;
  private final List<String> sourceNames;
  private final List<List<String>> rows;
  private final int unfitLines;
  private final boolean wholeFile;
  private final List<String> nullTokens;
  private final Map<String, NullToken> nullTokensSeen;

  /** A null token other than the empty field, as the sample holds it. */
  record NullToken(int count, List<String> columns) {
    NullToken {
      columns = List.copyOf(columns);
    }
  }

  private SampledTable(
      FileLayout layout,
      boolean header,
      String headerReason,
      List<String> sourceNames,
      List<List<String>> rows,
      int unfitLines,
      boolean wholeFile,
      List<String> nullCandidates) {
    this.layout = layout;
    this.header = header;
    this.headerReason = headerReason;
    this.sourceNames = List.copyOf(sourceNames);
    this.rows = rows;
    this.unfitLines = unfitLines;
    this.wholeFile = wholeFile;
    this.nullTokensSeen = nullTokensSeen(rows, sourceNames, nullCandidates);
    List<String> tokens = new ArrayList<>();
    tokens.add("");
    tokens.addAll(nullTokensSeen.keySet());
    this.nullTokens = List.copyOf(tokens);
  }

  /**
   * The table of {@code sample}, laid out as {@code layout}, with the label named {@code label}.
   */
  static SampledTable of(
      SampleLines sample,
      FileLayout layout,
      String label,
      int dataLines,
      List<String> nullCandidates) {
    List<String> lines = sample.lines();
    if (layout.format() == SourceFormat.JSON) {
      return json(sample, layout, dataLines, nullCandidates);
    }
    FieldSplitter splitter = new FieldSplitter(layout.csv(false));
    List<Optional<List<String>>> split = lines.stream().map(splitter::split).toList();
    Optional<List<String>> first = split.get(0).filter(f -> f.size() == layout.width());
    Optional<String> headerReason =
        first.flatMap(
            names ->
                headerReason(
                    names,
                    fitting(split.subList(1, split.size()), layout.width()),
                    label,
                    new HashSet<>(nullCandidates)));
    boolean header = headerReason.isPresent();
    int from = header ? 1 : 0;
    int to = Math.min(split.size(), from + dataLines);
    List<List<String>> rows = fitting(split.subList(from, to), layout.width());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < layout.width(); i++) {
      names.add(header ? first.get().get(i) : "column_" + (i + 1));
    }
    return new SampledTable(
        layout,
        header,
        headerReason.orElse(
            "the first line reads as data: no field of it names the label, and its values fit the"
                + " types of the values below them"),
        names,
        rows,
        (to - from) - rows.size(),
        sample.endOfFile() && to == split.size(),
        nullCandidates);
  }

  private static SampledTable json(
      SampleLines sample, FileLayout layout, int dataLines, List<String> nullCandidates) {
    List<String> lines = sample.lines().subList(0, Math.min(dataLines, sample.lines().size()));
    List<Map<String, String>> objects = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    for (String line : lines) {
      JsonFields.byKey(line)
          .ifPresent(
              object -> {
                objects.add(object);
                keys.addAll(object.keySet());
              });
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map<String, String> object : objects) {
      rows.add(keys.stream().map(key -> object.getOrDefault(key, "")).toList());
    }
    return new SampledTable(
        layout,
        false,
        "",
        List.copyOf(keys),
        rows,
        lines.size() - objects.size(),
        sample.endOfFile() && lines.size() == sample.lines().size(),
        nullCandidates);
  }

  private static List<List<String>> fitting(List<Optional<List<String>>> split, int width) {
    return split.stream()
        .flatMap(Optional::stream)
        .filter(fields -> fields.size() == width)
        .toList();
  }

  private static Optional<String> headerReason(
      List<String> first, List<List<String>> body, String label, Set<String> nullCandidates) {
    if (new HashSet<>(first).size() < first.size()) {
      return Optional.empty();
    }
    if (first.contains(label) || ColumnNames.assign(first).contains(label)) {
      return Optional.of(
          "the first line names the columns: it holds the label's name, "
              + ConfigUtil.quoteString(label));
    }
    int votes = 0;
    int misfits = 0;
    for (int i = 0; i < first.size(); i++) {
      int column = i;
      ColumnSample below =
          ColumnSample.of("", body.stream().map(f -> f.get(column)).toList(), nullCandidates);
      String name = first.get(i);
      if (below.type() != ValueType.STRING) {
        if (!nullCandidates.contains(name) && !LineParser.parses(below.type(), name)) {
          votes++;
          misfits++;
        } else {
          votes--;
        }
      } else if (below.counts().containsKey(name)) {
        votes--;
      }
    }
    if (votes <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "the first line names the columns: "
            + misfits
            + " of its "
            + first.size()
            + " fields do not read as the type of the values below them");
  }

  private static Map<String, NullToken> nullTokensSeen(
      List<List<String>> rows, List<String> sourceNames, List<String> candidates) {
    Map<String, NullToken> seen = new LinkedHashMap<>();
    for (String candidate : candidates) {
      if (candidate.isEmpty() || seen.containsKey(candidate)) {
        continue;
      }
      int count = 0;
      Set<Integer> columns = new TreeSet<>();
      for (List<String> row : rows) {
        for (int i = 0; i < row.size(); i++) {
          if (row.get(i).equals(candidate)) {
            count++;
            columns.add(i);
          }
        }
      }
      if (count > 0) {
        seen.put(candidate, new NullToken(count, columns.stream().map(sourceNames::get).toList()));
      }
    }
    return seen;
  }

  /** The index of the label's column: named as in the file, or by the name infer gives it. */
  int labelIndex(String label, String file) {
    int index = sourceNames.indexOf(label);
    if (index < 0) {
      index = ColumnNames.assign(sourceNames).indexOf(label);
    }
    if (index < 0) {
      throw InferErrors.unknownLabelColumn(
          label, file, sourceNames, header || layout.format() == SourceFormat.JSON);
    }
    return index;
  }

  /** Each column's sample, in file order. */
  List<ColumnSample> columns() {
    Set<String> tokens = new HashSet<>(nullTokens);
    List<ColumnSample> columns = new ArrayList<>();
    for (int i = 0; i < sourceNames.size(); i++) {
      int column = i;
      columns.add(
          ColumnSample.of(
              sourceNames.get(i), rows.stream().map(row -> row.get(column)).toList(), tokens));
    }
    return columns;
  }

  FileLayout layout() {
    return layout;
  }

  boolean header() {
    return header;
  }

  String headerReason() {
    return headerReason;
  }

  /** The columns' names in the file: header names, JSON keys, or column_N without a header. */
  List<String> sourceNames() {
    return sourceNames;
  }

  /** The sampled data rows that fit: as many fields as columns, or one JSON object. */
  int rowCount() {
    return rows.size();
  }

  /** Sampled data lines that do not fit, which ingest would quarantine. */
  int unfitLines() {
    return unfitLines;
  }

  /** Whether the sample is the whole file. */
  boolean wholeFile() {
    return wholeFile;
  }

  /** The null tokens: the empty field, then the candidates the sample holds. */
  List<String> nullTokens() {
    return nullTokens;
  }

  /** The null tokens other than the empty field, with where the sample holds them. */
  Map<String, NullToken> nullTokensSeen() {
    return nullTokensSeen;
  }
}
