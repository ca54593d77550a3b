package dev.sluice.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.testing.TestSpecs;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LineParserTest {
  private final LineParser parser =
      new LineParser(DatasetSpecReader.read(TestSpecs.load(TestSpecs.TINY).config()));

  @Test
  void acceptsAWellFormedLineWithTypedValues() {
    ParsedLine line = parser.parse("39, State-gov, 40.5, Male, <=50K");
    assertThat(line.kind()).isEqualTo(LineKind.ACCEPTED);
    assertThat(Arrays.asList(line.values()))
        .containsExactly(39, "State-gov", 40.5, "Male", "<=50K");
    assertThat(line.reasons()).isEmpty();
  }

  @Test
  void questionMarkIsANullNotAQuarantine() {
    ParsedLine line = parser.parse("39, ?, ?, Male, >50K");
    assertThat(line.kind()).isEqualTo(LineKind.ACCEPTED);
    assertThat(Arrays.asList(line.values())).containsExactly(39, null, null, "Male", ">50K");
  }

  @Test
  void trailingPeriodOfTestLabelsIsAcceptedAndKeptAsRead() {
    ParsedLine line = parser.parse("25, Private, 40, Male, <=50K.");
    assertThat(line.kind()).isEqualTo(LineKind.ACCEPTED);
    assertThat(line.values()[4]).isEqualTo("<=50K.");
  }

  @Test
  void skipsBlankAndJunkLines() {
    assertThat(parser.parse("").kind()).isEqualTo(LineKind.BLANK);
    assertThat(parser.parse("   ").kind()).isEqualTo(LineKind.BLANK);
    assertThat(parser.parse("|1x3 Cross validator").kind()).isEqualTo(LineKind.COMMENT);
  }

  @Test
  void eachReasonCode() {
    assertThat(parser.parse("39, Private, 40, Male").reasons()).containsExactly("FIELD_COUNT");
    assertThat(parser.parse("39, Private, 40, Male, <=50K, extra").reasons())
        .containsExactly("FIELD_COUNT");
    assertThat(parser.parse("abc, Private, 40, Male, <=50K").reasons())
        .containsExactly("TYPE_MISMATCH:age");
    assertThat(parser.parse("39, Private, NaN, Male, <=50K").reasons())
        .containsExactly("TYPE_MISMATCH:hours");
    assertThat(parser.parse("121, Private, 40, Male, <=50K").reasons())
        .containsExactly("OUT_OF_RANGE:age");
    assertThat(parser.parse("-1, Private, 40, Male, <=50K").reasons())
        .containsExactly("OUT_OF_RANGE:age");
    assertThat(parser.parse("39, Private, 40, Robot, <=50K").reasons())
        .containsExactly("UNKNOWN_VALUE:sex");
    assertThat(parser.parse("39, Private, 40, Male, ?").reasons()).containsExactly("MISSING_LABEL");
    assertThat(parser.parse("39, Private, 40, Male, ").reasons()).containsExactly("MISSING_LABEL");
    assertThat(parser.parse("39, Private, 40, Male, maybe").reasons())
        .containsExactly("UNKNOWN_LABEL");
    assertThat(parser.parse("?, Private, 40, Male, <=50K").reasons())
        .containsExactly("MISSING_VALUE:age");
    assertThat(parser.parse("39, \"Private, 40, Male, <=50K").reasons())
        .containsExactly("BAD_QUOTING");
  }

  @Test
  void rowsToScoreMayHaveABlankLabelOrNoLabelColumn() {
    LineParser scoring =
        new LineParser(
            DatasetSpecReader.read(TestSpecs.load(TestSpecs.TINY).config()), LabelPolicy.OPTIONAL);
    ParsedLine blank = scoring.parse("39, Private, 40, Male, ?");
    assertThat(blank.kind()).isEqualTo(LineKind.ACCEPTED);
    assertThat(Arrays.asList(blank.values())).containsExactly(39, "Private", 40.0, "Male", null);
    ParsedLine absent = scoring.parse("39, Private, 40, Male");
    assertThat(absent.kind()).isEqualTo(LineKind.ACCEPTED);
    assertThat(Arrays.asList(absent.values())).containsExactly(39, "Private", 40.0, "Male", null);
    // A label that is there is still checked, and every other rule still holds.
    assertThat(scoring.parse("39, Private, 40, Male, >50K").values()[4]).isEqualTo(">50K");
    assertThat(scoring.parse("39, Private, 40, Male, maybe").reasons())
        .containsExactly("UNKNOWN_LABEL");
    assertThat(scoring.parse("39, Private, 40").reasons()).containsExactly("FIELD_COUNT");
    assertThat(scoring.parse("39, Private, 40, Robot").reasons())
        .containsExactly("UNKNOWN_VALUE:sex");
    assertThat(scoring.sourceNamesWithoutLabel())
        .containsExactly("age", "workclass", "hours", "sex");
  }

  @Test
  void reportsEveryBadFieldOfALine() {
    ParsedLine line = parser.parse("abc, Private, x, Robot, maybe");
    assertThat(line.kind()).isEqualTo(LineKind.QUARANTINED);
    assertThat(line.reasons())
        .containsExactly(
            "TYPE_MISMATCH:age", "TYPE_MISMATCH:hours", "UNKNOWN_VALUE:sex", "UNKNOWN_LABEL");
  }

  @Test
  void boundsAreInclusive() {
    assertThat(parser.parse("0, Private, 40, Male, <=50K").kind()).isEqualTo(LineKind.ACCEPTED);
    assertThat(parser.parse("120, Private, 40, Male, <=50K").kind()).isEqualTo(LineKind.ACCEPTED);
  }

  @Test
  void jsonLinesAreParsedByColumnName() {
    LineParser json =
        new LineParser(
            DatasetSpecReader.read(
                TestSpecs.load(TestSpecs.TINY + "sluice.dataset.format = json").config()));
    ParsedLine line =
        json.parse("{\"income\": \">50K\", \"age\": 39, \"sex\": \"Male\", \"hours\": null}");
    assertThat(line.kind()).isEqualTo(LineKind.ACCEPTED);
    assertThat(Arrays.asList(line.values())).containsExactly(39, null, null, "Male", ">50K");
    assertThat(json.parse("{\"age\": \"old\", \"sex\": \"Male\", \"income\": \">50K\"}").reasons())
        .containsExactly("TYPE_MISMATCH:age");
    assertThat(json.parse("[1, 2]").reasons()).containsExactly("BAD_JSON");
    assertThat(json.parse("{\"age\": 39").reasons()).containsExactly("BAD_JSON");
    assertThat(
            json.parse("{\"age\": 39, \"sex\": \"Male\", \"income\": \">50K\", \"colour\": 1}")
                .reasons())
        .containsExactly("BAD_JSON");
  }

  @Test
  void jsonKeysAreTheColumnsSourceNames() {
    LineParser json =
        new LineParser(
            DatasetSpecReader.read(
                TestSpecs.load(
                        """
                        sluice.dataset {
                          name = flowers
                          format = json
                          sources { train = [] }
                          task = multiclass
                          label.classes = [setosa, virginica]
                          columns = [
                            { name = petal_width, source-name = "petal width", role = numeric }
                            { name = colour, source-name = "colour.name", role = categorical }
                            { name = species, role = label }
                          ]
                        }
                        """)
                    .config()));

    ParsedLine line =
        json.parse("{\"species\": \"setosa\", \"petal width\": 0.2, \"colour.name\": \"white\"}");
    assertThat(line.kind()).isEqualTo(LineKind.ACCEPTED);
    assertThat(Arrays.asList(line.values())).containsExactly(0.2, "white", "setosa");
    // The table's name is not a key of the file: a line that uses it has an undeclared key.
    assertThat(json.parse("{\"species\": \"setosa\", \"petal_width\": 0.2}").reasons())
        .containsExactly("BAD_JSON");
  }
}
