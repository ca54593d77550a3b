package dev.sluice.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.dataset.CsvSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldSplitterTest {
  private final FieldSplitter adult = new FieldSplitter(new CsvSpec(", ", "\"", false, true));
  private final FieldSplitter comma = new FieldSplitter(new CsvSpec(",", "\"", false, true));
  private final FieldSplitter untrimmed = new FieldSplitter(new CsvSpec(",", "", false, false));

  @Test
  void splitsOnMultiCharacterDelimiter() {
    assertThat(adult.split("39, State-gov, 77516, <=50K"))
        .contains(List.of("39", "State-gov", "77516", "<=50K"));
  }

  @Test
  void keepsEmptyFieldsAndCountsThemAsFields() {
    assertThat(adult.split("1, , 3")).contains(List.of("1", "", "3"));
    assertThat(comma.split("a,,")).contains(List.of("a", "", ""));
    assertThat(comma.split("")).contains(List.of(""));
  }

  @Test
  void trimsLeadingSpacesOnlyWhenAsked() {
    assertThat(comma.split(" a , b")).contains(List.of("a", "b"));
    assertThat(untrimmed.split(" a , b")).contains(List.of(" a ", " b"));
    // Whitespace as String.strip sees it: a tab and an em space go, a no-break space stays.
    assertThat(comma.split("\ta\u2003,\u00A0b ,  ")).contains(List.of("a", "\u00A0b", ""));
  }

  @Test
  void quotedFieldsMayHoldDelimitersAndDoubledQuotes() {
    assertThat(comma.split("\"a,b\",\"say \"\"hi\"\"\",c"))
        .contains(List.of("a,b", "say \"hi\"", "c"));
    assertThat(adult.split("\"x, y\", z")).contains(List.of("x, y", "z"));
  }

  @Test
  void malformedQuotingIsReportedNotRepaired() {
    assertThat(comma.split("\"unclosed,b")).isEmpty();
    assertThat(comma.split("\"a\"x,b")).isEmpty();
    assertThat(comma.split("a\"b,c")).isEmpty();
  }

  @Test
  void withoutQuotingAQuoteIsPlainText() {
    assertThat(untrimmed.split("a\"b,c")).contains(List.of("a\"b", "c"));
  }
}
