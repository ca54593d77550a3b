package dev.sluice.jobs.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.SourceFormat;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.features.SplitSpec;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.InferSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.SettingsLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Infer on tiny hand-made files, each read back with the real data-set reader. */
class InferJobTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  @TempDir Path dir;

  /**
   * 24 rows, one column of each kind: row i has id i, x.box i % 4, "y box" i / 2, colour red, green
   * or blue by i % 3, a date in January, flag true for even i, size i % 5 but "?" when i % 6 is 0,
   * and class b when i % 4 is 0 (6 rows), else a (18 rows).
   */
  private static String mixed() {
    StringBuilder text = new StringBuilder("id,x.box,y box,colour,when,flag,size,class\n");
    String[] colours = {"red", "green", "blue"};
    for (int i = 1; i <= 24; i++) {
      text.append(i)
          .append(',')
          .append(i % 4)
          .append(',')
          .append(i * 0.5)
          .append(',')
          .append(colours[i % 3])
          .append(',')
          .append(String.format("2024-01-%02d", i))
          .append(',')
          .append(i % 2 == 0)
          .append(',')
          .append(i % 6 == 0 ? "?" : String.valueOf(i % 5))
          .append(',')
          .append(i % 4 == 0 ? "b" : "a")
          .append('\n');
    }
    return text.toString();
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private Path output() {
    return dir.resolve("conf/datasets/drafted.conf");
  }

  private InferResult infer(Path file, String label, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                file.toString(),
                "--label",
                label,
                "--name",
                "drafted",
                "--output",
                output().toString()));
    args.addAll(List.of(more));
    return new InferJob(new Configuration(), InferSettings.load(args.toArray(String[]::new))).run();
  }

  private LoadedSettings written() {
    return SettingsLoader.load(new String[] {"--config", output().toString()}, Map.of(), "test");
  }

  private DatasetSpec spec() {
    return DatasetSpecReader.read(written().config());
  }

  private String text() throws IOException {
    return Files.readString(output());
  }

  /** The file with each wrapped comment on one line, so that a test does not hang on the wrap. */
  private String unwrapped() throws IOException {
    return text().replaceAll("\n *# ", " ");
  }

  private DatasetSpec inferred(String content, String label, String... more) throws IOException {
    infer(write("data.csv", content), label, more);
    return spec();
  }

  private static String rows(int count, java.util.function.IntFunction<String> row) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(row)
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void roundTripTheWrittenFileLoadsAsTheColumnsTheSampleSuggests() throws IOException {
    Path file = write("mixed.csv", mixed());

    InferResult result = infer(file, "class");

    DatasetSpec spec = spec();
    assertThat(spec.columns())
        .containsExactly(
            new ColumnSpec("id", ColumnRole.ID, ValueType.STRING, false, -INF, INF, List.of()),
            new ColumnSpec(
                "x_box", ColumnRole.NUMERIC, ValueType.INT, false, -INF, INF, List.of(), "x.box"),
            new ColumnSpec(
                "y_box",
                ColumnRole.NUMERIC,
                ValueType.DOUBLE,
                false,
                -INF,
                INF,
                List.of(),
                "y box"),
            new ColumnSpec(
                "colour",
                ColumnRole.CATEGORICAL,
                ValueType.STRING,
                false,
                -INF,
                INF,
                List.of("blue", "green", "red")),
            new ColumnSpec(
                "when", ColumnRole.TIMESTAMP, ValueType.DATE, false, -INF, INF, List.of()),
            new ColumnSpec(
                "flag", ColumnRole.CATEGORICAL, ValueType.BOOLEAN, false, -INF, INF, List.of()),
            new ColumnSpec("size", ColumnRole.NUMERIC, ValueType.INT, true, -INF, INF, List.of()),
            new ColumnSpec(
                "class", ColumnRole.LABEL, ValueType.STRING, true, -INF, INF, List.of()));
    assertThat(spec.name()).isEqualTo("drafted");
    assertThat(spec.format()).isEqualTo(SourceFormat.CSV);
    assertThat(spec.csv().delimiter()).isEqualTo(",");
    assertThat(spec.csv().quote()).isEqualTo("\"");
    assertThat(spec.csv().header()).isTrue();
    assertThat(spec.nullTokens()).containsExactly("", "?");
    assertThat(spec.sources()).containsExactly(Map.entry("train", List.of(file.toString())));
    assertThat(spec.task()).isEqualTo(TaskType.BINARY);
    assertThat(spec.label().classes()).containsExactly("a", "b");
    assertThat(spec.label().positiveClass()).isEqualTo("b");
    // The split the features job will use: reference.conf's.
    assertThat(FeaturesSettings.from(written()).split())
        .isEqualTo(new SplitSpec(SplitSpec.Method.HASH, 42, 0.7, 0.15, 0.15, Map.of()));

    assertThat(result.dataLines()).isEqualTo(24);
    assertThat(result.wholeFile()).isTrue();
    assertThat(result.columnsByRole())
        .containsOnly(
            Map.entry(ColumnRole.ID, 1L),
            Map.entry(ColumnRole.NUMERIC, 3L),
            Map.entry(ColumnRole.CATEGORICAL, 2L),
            Map.entry(ColumnRole.TIMESTAMP, 1L),
            Map.entry(ColumnRole.LABEL, 1L));
    assertThat(result.renamed()).isEqualTo(2);
  }

  @Test
  void everyChoiceIsACommentedLineAUserCanEdit() throws IOException {
    infer(write("mixed.csv", mixed()), "class");

    assertThat(text())
        .contains(
            "    # ',' splits 25 of the 25 sampled lines into 8 fields (tried ',', tab, ';', '|').\n"
                + "    delimiter = \",\"\n")
        .contains(
            "    # The first line names the columns: it holds the label's name, \"class\".\n"
                + "    header = true\n")
        .contains(
            "  # Read as null: the empty field (always), \"?\" (4 times, in size).\n"
                + "  null-tokens = [\"\", \"?\"]\n")
        .contains("  # binary: the label has two values in the sample.\n  task = binary\n")
        .contains(
            "    # The rarer class (6 of 24 labelled rows): binary metrics (AUC, f1) are about"
                + " finding it.\n"
                + "    positive-class = \"b\"\n")
        // The sample's range is there to uncomment, not enforced.
        .contains(
            "    { name = x_box, source-name = \"x.box\", role = numeric, type = int,"
                + " nullable = false\n"
                + "      # min = 0, max = 3\n"
                + "    }\n")
        .contains(
            "    # int (whole numbers); numeric: 5 distinct values from 0 to 4; 4 nulls in 24 rows.\n"
                + "    { name = size, role = numeric, type = int, nullable = true\n"
                + "      # min = 0, max = 4\n"
                + "    }\n")
        .contains(
            "    { name = colour, role = categorical, type = string, nullable = false, values ="
                + " [\"blue\", \"green\", \"red\"] }\n")
        .contains("    { name = when, role = timestamp, type = date, nullable = false }\n")
        .contains("    { name = flag, role = categorical, type = boolean, nullable = false }\n")
        .contains("    { name = class, role = label, type = string }\n")
        .contains(
            "  split { method = hash, seed = 42, train = 0.7, validation = 0.15, test = 0.15 }");
    assertThat(unwrapped())
        .contains("all its 24 data lines.")
        .contains(
            "In the file \"x.box\", which is not a plain column name. int (whole numbers); numeric:"
                + " 4 distinct values from 0 to 3; never null in the sample.")
        .contains(
            "string; categorical: 3 distinct values, each seen twice or more, so listed: a row"
                + " with another is quarantined (UNKNOWN_VALUE); never null in the sample.")
        .contains(
            "A different value in each of the 24 sampled rows, a run of whole numbers (1 to 24):"
                + " an identifier, not a feature.")
        .contains(
            "date (ISO dates, 2024-01-31); a time, not a feature (derive one from it if it"
                + " matters); never null in the sample.");
  }

  @Test
  void delimiterIsTheOneThatSplitsEveryLineAlike() throws IOException {
    assertThat(inferred("a;b;y\n1;2;p\n3;4;q\n", "y").csv().delimiter()).isEqualTo(";");
    assertThat(inferred("a\tb\ty\n1\t2\tp\n3\t4\tq\n", "y", "--force").csv().delimiter())
        .isEqualTo("\t");
    assertThat(inferred("a|b|y\n1|2|p\n3|4|q\n", "y", "--force").csv().delimiter()).isEqualTo("|");
    // Commas inside a quoted field do not make the comma a worse delimiter than ';' here...
    DatasetSpec quoted = inferred("a,note,y\n1,\"x, y; z\",p\n3,plain,q\n", "y", "--force");
    assertThat(quoted.csv().delimiter()).isEqualTo(",");
    assertThat(quoted.csv().quote()).isEqualTo("\"");
    // ...and single quotes are found when only they keep the fields together.
    DatasetSpec single = inferred("a,note,y\n1,'x, y',p\n3,'u, v',q\n", "y", "--force");
    assertThat(single.csv().quote()).isEqualTo("'");
    assertThat(single.columnNames()).containsExactly("a", "note", "y");
  }

  @Test
  void aLineOfAnotherWidthIsNamedAsOneIngestWouldQuarantine() throws IOException {
    infer(write("data.csv", "a,b,y\n1,2,p\n3,4,q\n5,6,7,q\n"), "y");
    assertThat(unwrapped())
        .contains("all its 3 data lines.")
        .contains(
            "',' splits 3 of the 4 sampled lines into 3 fields (tried ',', tab, ';', '|'); ingest"
                + " quarantines the lines that do not fit (1 of the sampled data lines, as"
                + " FIELD_COUNT or BAD_QUOTING).");
  }

  @Test
  void headerIsFoundByTheLabelsNameOrByTypesThatDoNotFit() throws IOException {
    // No header: the first line fits the types below it; columns are numbered.
    DatasetSpec numbered = inferred("1,2.5,p\n3,4.5,q\n5,6.5,p\n", "column_3");
    assertThat(numbered.csv().header()).isFalse();
    assertThat(numbered.columnNames()).containsExactly("column_1", "column_2", "column_3");
    assertThat(numbered.label().column()).isEqualTo("column_3");

    // A header whose names are not numbers above numbers, even when --label names no column.
    List<String> lines = List.of("width,height,kind", "1,2.5,p", "3,4.5,q");
    SampleLines sample = new SampleLines(lines, true);
    FileLayout layout = FileLayout.detect(lines, "f");
    SampledTable byTypes = SampledTable.of(sample, layout, "nope", 100, List.of(""));
    assertThat(byTypes.header()).isTrue();
    assertThat(byTypes.headerReason())
        .isEqualTo(
            "the first line names the columns: 2 of its 3 fields do not read as the type of the"
                + " values below them");
    assertThatThrownBy(() -> byTypes.labelIndex("nope", "f"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Invalid argument '--label nope': f has no column of that name; its header names"
                + " [width, height, kind]. Pass one of them.");

    // Text over text: the label's name decides.
    DatasetSpec named = inferred("colour,y\nred,p\nblue,q\n", "y", "--force");
    assertThat(named.csv().header()).isTrue();
    assertThatThrownBy(() -> inferred("red,p\nblue,q\n", "y", "--force"))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid argument '--label y': ")
        .hasMessageEndingWith(
            " has no header (its first line reads as data), so its columns are named [column_1,"
                + " column_2]. Pass one of them.");
  }

  @Test
  void nullTokensAreTheEmptyFieldAndTheCandidatesSeen() throws IOException {
    DatasetSpec spec = inferred("a,b,c,y\n1,NA,?,p\n?,2,,q\nN/A,3,x,p\n4,NaN,z,q\n", "y");
    assertThat(spec.nullTokens()).containsExactly("", "?", "NA", "N/A", "NaN");
    // With nulls read as nulls, the columns are numbers.
    assertThat(spec.column("a").type()).isEqualTo(ValueType.INT);
    assertThat(spec.column("b").type()).isEqualTo(ValueType.INT);
    assertThat(spec.column("a").nullable()).isTrue();
    assertThat(spec.column("c").nullable()).isTrue();
    assertThat(unwrapped())
        .contains(
            // Columns in file order, though the sample met c's "?" first.
            "Read as null: the empty field (always), \"?\" (2 times, in a, c), \"NA\" (once, in b),"
                + " \"N/A\" (once, in a), \"NaN\" (once, in b).");
  }

  @Test
  void typesAreWhatIngestsParserReadsEveryValueAs() throws IOException {
    DatasetSpec spec =
        inferred(
            "i,l,d,b,day,at,s,code,y\n"
                + "1,3000000000,1.5,true,2024-01-31,2024-01-31T12:00:00,x,007,p\n"
                + "2,4,2,False,2024-02-01,2024-02-01 08:30:00,1,012,q\n"
                + "3,5,1e3,TRUE,2024-02-02,2024-02-02T00:00:00Z,y,120,p\n",
            "y");
    assertThat(spec.columns().stream().map(ColumnSpec::type).toList())
        .containsExactly(
            ValueType.INT,
            ValueType.LONG,
            ValueType.DOUBLE,
            ValueType.BOOLEAN,
            ValueType.DATE,
            ValueType.TIMESTAMP,
            ValueType.STRING,
            // Leading zeros make a code, kept as text.
            ValueType.STRING,
            ValueType.STRING);
    assertThat(text())
        .contains("string (whole numbers with leading zeros are codes, kept as text)");
  }

  @Test
  void rolesFollowTypeCardinalityAndUniqueness() throws IOException {
    // 30 rows: row i.
    String content =
        "uuid,n,measure,one,empty,words,level,rare,y\n"
            + rows(
                30,
                i ->
                    String.join(
                        ",",
                        "u" + i, // unique text: an identifier
                        String.valueOf(i * 7 % 37), // unique whole numbers, no run: numeric
                        String.valueOf(i / 4.0), // unique decimals: numeric
                        "same", // one value: ignored
                        "", // all null: ignored
                        i % 3 == 0 ? "" : "w" + i, // 20 distinct in 20 non-null rows: free text
                        "L" + (i % 3), // 3 levels, each 10 times: listed
                        i == 1 ? "only" : "R" + (i % 2), // one level seen once: listed unenforced
                        i % 2 == 0 ? "p" : "q"));
    DatasetSpec spec = inferred(content, "y");

    assertThat(spec.columns().stream().map(ColumnSpec::role).toList())
        .containsExactly(
            ColumnRole.ID,
            ColumnRole.NUMERIC,
            ColumnRole.NUMERIC,
            ColumnRole.IGNORE,
            ColumnRole.IGNORE,
            ColumnRole.IGNORE,
            ColumnRole.CATEGORICAL,
            ColumnRole.CATEGORICAL,
            ColumnRole.LABEL);
    assertThat(spec.column("level").values()).containsExactly("L0", "L1", "L2");
    assertThat(spec.column("rare").values()).isEmpty();
    assertThat(spec.column("empty").nullable()).isTrue();
    assertThat(text())
        .contains(
            "    { name = rare, role = categorical, type = string, nullable = false\n"
                + "      # values = [\"R0\", \"R1\", \"only\"]\n"
                + "    }\n")
        .contains("one value, \"same\", in every non-null sampled row: nothing to learn from")
        .contains("Null in every sampled row: kept in the raw table, not a feature.")
        .contains("20 distinct values in 20 non-null rows, free text or a code");
  }

  @Test
  void uniqueWholeNumbersAreAnIdentifierOnlyAsARunOrUnderAnIdentifiersName() throws IOException {
    String content =
        "row,customer id,amount,y\n"
            + rows(25, i -> (i + 100) + "," + (i * 37 % 101) + "," + (i * 37 % 101) + ",p" + i % 2);
    DatasetSpec spec = inferred(content, "y");
    assertThat(spec.column("row").role()).isEqualTo(ColumnRole.ID);
    assertThat(spec.column("customer_id").role()).isEqualTo(ColumnRole.ID);
    assertThat(spec.column("amount").role()).isEqualTo(ColumnRole.NUMERIC);
  }

  @Test
  void theTaskFollowsTheLabelsValues() throws IOException {
    // Two values: binary, the rarer positive; equally frequent, the later one.
    DatasetSpec binary = inferred("x,y\n1,no\n2,yes\n3,no\n", "y");
    assertThat(binary.task()).isEqualTo(TaskType.BINARY);
    assertThat(binary.label().positiveClass()).isEqualTo("yes");
    DatasetSpec tie = inferred("x,y\n1,1\n2,0\n", "y", "--force");
    assertThat(tie.label().classes()).containsExactly("0", "1");
    assertThat(tie.label().positiveClass()).isEqualTo("1");

    // Text: multiclass, classes sorted.
    DatasetSpec letters = inferred("x,y\n1,c\n2,a\n3,b\n", "y", "--force");
    assertThat(letters.task()).isEqualTo(TaskType.MULTICLASS);
    assertThat(letters.label().classes()).containsExactly("a", "b", "c");
    assertThat(letters.column("y").type()).isEqualTo(ValueType.STRING);

    // A few whole numbers: multiclass, sorted as numbers.
    DatasetSpec ratings = inferred("x,y\n1,10\n2,9\n3,2\n4,2\n", "y", "--force");
    assertThat(ratings.task()).isEqualTo(TaskType.MULTICLASS);
    assertThat(ratings.label().classes()).containsExactly("2", "9", "10");

    // Decimals, or more whole numbers than sluice.infer.max-integer-classes: regression.
    DatasetSpec prices = inferred("x,y\n1,1.5\n2,2.25\n3,7\n", "y", "--force");
    assertThat(prices.task()).isEqualTo(TaskType.REGRESSION);
    assertThat(prices.column("y").type()).isEqualTo(ValueType.DOUBLE);
    assertThat(prices.label().classes()).isEmpty();
    DatasetSpec counts =
        inferred(
            "x,y\n1,1\n2,2\n3,3\n4,4\n",
            "y",
            "--force",
            "--set",
            "sluice.infer.max-integer-classes=3");
    assertThat(counts.task()).isEqualTo(TaskType.REGRESSION);
  }

  @Test
  void taskGivenWinsWhenItFitsTheLabel() throws IOException {
    DatasetSpec forced = inferred("x,y\n1,1\n2,2\n3,3\n", "y", "--task", "regression");
    assertThat(forced.task()).isEqualTo(TaskType.REGRESSION);
    assertThat(text()).contains("  # regression: as --task says.\n");

    assertThatThrownBy(() -> inferred("x,y\n1,a\n2,b\n3,c\n", "y", "--force", "--task", "binary"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Invalid argument '--task binary': the label has 3 values in the sample, and a binary"
                + " task has two. Leave --task out to infer the task, or pass --task multiclass.");
    assertThatThrownBy(() -> inferred("x,y\n1,a\n2,b\n", "y", "--force", "--task", "multiclass"))
        .hasMessageStartingWith(
            "Invalid argument '--task multiclass': the label has two values in the sample");
    assertThatThrownBy(
            () -> inferred("x,y\n1,a\n2,b\n3,c\n", "y", "--force", "--task", "regression"))
        .hasMessageStartingWith(
            "Invalid argument '--task regression': the label's sampled values are not all"
                + " numbers");
    assertThatThrownBy(() -> inferred("x,y\n1,a\n2,a\n", "y", "--force"))
        .isInstanceOf(SluiceException.class)
        .hasMessageEndingWith(
            ": its label column 'y' holds one value, \"a\", in the 2 sampled rows, and a model"
                + " needs two at least. Check --label, or sample more rows with --sample-rows.");
  }

  @Test
  void headerNamesThatAreNotPlainGetPlainNamesAndKeepTheirsAsSourceName() throws IOException {
    DatasetSpec spec =
        inferred(
            ",x.box,X_Box,Température (°C),select,split,1st,y\n"
                + "0,1,2,3,4,5,6,p\n1,2,3,4,5,6,7,q\n",
            "y");
    assertThat(spec.columnNames())
        .containsExactly(
            "column_1", "x_box_2", "X_Box", "temperature_c", "select", "split_2", "c_1st", "y");
    assertThat(spec.sourceNames())
        .containsExactly("", "x.box", "X_Box", "Température (°C)", "select", "split", "1st", "y");
    // --label may name the column as infer names it.
    infer(write("boxes.csv", "x.box,class.name\n1,a\n2,b\n"), "class_name", "--force");
    assertThat(spec().label().column()).isEqualTo("class_name");
    assertThat(spec().column("class_name").sourceName()).isEqualTo("class.name");
  }

  @Test
  void jsonLinesNameTheirColumnsByKey() throws IOException {
    Path file =
        write(
            "flowers.jsonl",
            rows(
                6,
                i ->
                    "{\"petal width\": "
                        + (i / 10.0)
                        + ", \"species\": \""
                        + List.of("setosa", "versicolor", "virginica").get(i % 3)
                        + "\""
                        + (i == 4 ? "" : ", \"n\": " + i)
                        + "}"));
    InferResult result = infer(file, "species");
    DatasetSpec spec = spec();
    assertThat(result.format()).isEqualTo(SourceFormat.JSON);
    assertThat(spec.format()).isEqualTo(SourceFormat.JSON);
    assertThat(spec.columns())
        .containsExactly(
            new ColumnSpec(
                "petal_width",
                ColumnRole.NUMERIC,
                ValueType.DOUBLE,
                false,
                -INF,
                INF,
                List.of(),
                "petal width"),
            new ColumnSpec(
                "species", ColumnRole.LABEL, ValueType.STRING, true, -INF, INF, List.of()),
            // A key missing from a line is a null.
            new ColumnSpec("n", ColumnRole.NUMERIC, ValueType.INT, true, -INF, INF, List.of()));
    assertThat(spec.task()).isEqualTo(TaskType.MULTICLASS);
    assertThat(spec.label().classes()).containsExactly("setosa", "versicolor", "virginica");
  }

  @Test
  void aCompressedFileIsReadThroughItsCodecAndTheSampleIsTheFirstLines() throws IOException {
    Path gz = dir.resolve("mixed.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(mixed().getBytes(StandardCharsets.UTF_8));
    }
    InferResult result = infer(gz, "class", "--sample-rows", "12");
    assertThat(result.dataLines()).isEqualTo(12);
    assertThat(result.wholeFile()).isFalse();
    assertThat(spec().columnNames())
        .containsExactly("id", "x_box", "y_box", "colour", "when", "flag", "size", "class");
    assertThat(unwrapped()).contains("its first 12 data lines (the file has more).");
  }

  @Test
  void anExistingFileIsNotOverwrittenWithoutForce() throws IOException {
    Path file = write("mixed.csv", mixed());
    infer(file, "class");
    Files.writeString(output(), "# edited\n", StandardOpenOption.APPEND);
    String edited = text();

    assertThatThrownBy(() -> infer(file, "class"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Cannot write data-set file "
                + output()
                + ": it exists, and it may hold edits. Nothing was written. Pass --force to"
                + " overwrite it, or --output to write another file.")
        .extracting(e -> ((SluiceException) e).kind())
        .isEqualTo(SluiceException.Kind.SETTINGS);
    assertThat(text()).isEqualTo(edited);

    infer(file, "class", "--force");
    assertThat(text()).doesNotContain("# edited");
  }

  @Test
  void badInputIsNamed() throws IOException {
    assertThatThrownBy(() -> infer(dir.resolve("nope.csv"), "y"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Cannot infer a data-set file from "
                + dir.resolve("nope.csv")
                + ": it does not exist. Pass an existing file (local, hdfs:// or s3a://).")
        .extracting(e -> ((SluiceException) e).kind())
        .isEqualTo(SluiceException.Kind.DATA);
    assertThatThrownBy(() -> infer(write("empty.csv", "\n\n"), "y"))
        .hasMessageEndingWith(
            ": it holds no line of data. Pass a file with data (and a header, if any).");
    assertThatThrownBy(() -> infer(write("one.csv", "a\nb\n"), "y"))
        .hasMessageContaining("none of the delimiters [',', tab, ';', '|'] splits its lines");
    assertThatThrownBy(() -> infer(write("same.csv", "c,y\nsame,p\nsame,q\n"), "y"))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("no column besides the label is a feature");
  }

  @Test
  void theCommandLineNeedsAFileALabelAndAName() {
    assertThatThrownBy(() -> InferSettings.load(new String[] {"--label", "y", "--name", "d"}))
        .hasMessageStartingWith("Invalid argument 'FILE': it is required. Usage: infer FILE");
    assertThatThrownBy(() -> InferSettings.load(new String[] {"f.csv", "--name", "d"}))
        .hasMessageStartingWith("Invalid argument '--label': it is required.");
    assertThatThrownBy(
            () -> InferSettings.load(new String[] {"f.csv", "--label", "y", "--name", "My Set"}))
        .hasMessageStartingWith("Invalid argument '--name My Set': a data set's name is");
    assertThatThrownBy(() -> InferSettings.load(new String[] {"f.csv", "g.csv", "--label", "y"}))
        .hasMessageStartingWith("Invalid argument 'g.csv': only one file is sampled.");
    InferSettings settings =
        InferSettings.load(new String[] {"--label", "y", "f.csv", "--name", "d", "--force"});
    assertThat(settings.file()).isEqualTo("f.csv");
    assertThat(settings.force()).isTrue();
    assertThat(settings.output()).isEqualTo(Path.of("conf/datasets/d.conf"));
    assertThat(settings.task()).isEmpty();
    assertThat(settings.sampleRows()).isEqualTo(10_000);
  }
}
