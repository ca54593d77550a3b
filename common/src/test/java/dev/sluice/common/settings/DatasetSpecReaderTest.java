package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.testing.TestSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A column's name in the files ({@code source-name}) against its table name ({@code name}). */
class DatasetSpecReaderTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static String spec(String columns) {
    return """
        sluice.dataset {
          name = boxes
          csv.header = true
          sources { train = [] }
          task = multiclass
          label.classes = [a, b]
          columns = [
        %s
          ]
        }
        """
        .formatted(columns);
  }

  private static DatasetSpec read(String columns) {
    return DatasetSpecReader.read(TestSpecs.load(spec(columns)).config());
  }

  @Test
  void aSourceNameMapsAHeaderNameOntoAPlainColumnName() {
    DatasetSpec spec =
        read(
            """
            { name = x_box, source-name = "x.box", role = numeric, type = int }
            { name = y_box, source-name = "y box", role = numeric }
            { name = select_, source-name = "select", role = categorical }
            { name = temp, source-name = "température \\"°C\\"", role = numeric }
            { name = letter, role = label }
            """);

    assertThat(spec.columns())
        .containsExactly(
            new ColumnSpec(
                "x_box", ColumnRole.NUMERIC, ValueType.INT, true, -INF, INF, List.of(), "x.box"),
            new ColumnSpec(
                "y_box", ColumnRole.NUMERIC, ValueType.DOUBLE, true, -INF, INF, List.of(), "y box"),
            new ColumnSpec(
                "select_",
                ColumnRole.CATEGORICAL,
                ValueType.STRING,
                true,
                -INF,
                INF,
                List.of(),
                "select"),
            new ColumnSpec(
                "temp",
                ColumnRole.NUMERIC,
                ValueType.DOUBLE,
                true,
                -INF,
                INF,
                List.of(),
                "température \"°C\""),
            new ColumnSpec(
                "letter", ColumnRole.LABEL, ValueType.STRING, true, -INF, INF, List.of()));
    assertThat(spec.columnNames()).containsExactly("x_box", "y_box", "select_", "temp", "letter");
    assertThat(spec.sourceNames())
        .containsExactly("x.box", "y box", "select", "température \"°C\"", "letter");
    // Without a source-name a column is named in the files as in the table.
    assertThat(spec.column("letter").sourceName()).isEqualTo("letter");
    assertThat(spec.column("letter").renamed()).isFalse();
    assertThat(spec.column("x_box").renamed()).isTrue();
  }

  @Test
  void theRawTableCommentRecordsTheSourceName() {
    DatasetSpec spec =
        read(
            """
            { name = x_box, source-name = "x.box", role = numeric, type = int, nullable = false }
            { name = letter, role = label }
            """);

    assertThat(spec.dataSchema().apply("x_box").getComment().get())
        .isEqualTo(
            "Numeric feature of data set 'boxes' (int, never null, source column \"x.box\").");
    assertThat(spec.dataSchema().apply("letter").getComment().get())
        .isEqualTo(
            "Label (as read, before suffixes are stripped) of data set 'boxes' (string,"
                + " may be null).");
  }

  @Test
  void aNameThatIsNotPlainIsRefusedWithTheSourceNameAsTheWayOut() {
    assertThatThrownBy(
            () ->
                read(
                    """
                    { name = "x.box", role = numeric }
                    { name = letter, role = label }
                    """))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.columns[0].name': 'x.box' is not a plain column name")
        .hasMessageEndingWith(
            "Give the column a plain name and keep the file's name as its source-name, e.g."
                + " { name = x_box, source-name = \"x.box\" }.");
    // A source-name does not make an unsafe name safe.
    assertThatThrownBy(
            () ->
                read(
                    """
                    { name = "y box", source-name = "y box", role = numeric }
                    { name = letter, role = label }
                    """))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.columns[0].name': 'y box' is not a plain column name")
        .hasMessageContaining("{ name = y_box, source-name = \"y box\" }");
    assertThatThrownBy(
            () ->
                read(
                    """
                    { name = split, role = numeric }
                    { name = letter, role = label }
                    """))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.columns[0].name': 'split' is" + " reserved")
        .hasMessageEndingWith("e.g. { name = split_1, source-name = split }.");
  }

  @Test
  void twoColumnsCannotComeFromOneHeaderName() {
    assertThatThrownBy(
            () ->
                read(
                    """
                    { name = x_box, source-name = "x.box", role = numeric }
                    { name = x_box2, source-name = "x.box", role = numeric }
                    { name = letter, role = label }
                    """))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.columns[1].source-name': two columns come from the"
                + " files' column 'x.box'");
    // A source-name may not take the header name of a column named plainly.
    assertThatThrownBy(
            () ->
                read(
                    """
                    { name = letter2, source-name = letter, role = categorical }
                    { name = letter, role = label }
                    """))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.columns[1].name': two columns come from the files'"
                + " column 'letter'");
    // An empty header name is a name too: pandas writes its index column under one.
    assertThat(
            read("""
                    { name = index, source-name = "", role = id }
                    { name = letter, role = label }
                    """)
                .sourceNames())
        .containsExactly("", "letter");
  }

  @Test
  void plainColumnNames() {
    assertThat(DatasetSpecReader.isPlainColumnName("native-country")).isTrue();
    assertThat(DatasetSpecReader.isPlainColumnName("_id")).isTrue();
    assertThat(DatasetSpecReader.isPlainColumnName("x.box")).isFalse();
    assertThat(DatasetSpecReader.isPlainColumnName("1st")).isFalse();
    assertThat(DatasetSpecReader.isPlainColumnName("row_id")).isFalse();
  }
}
