package dev.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void eachPreconditionSaysWhatWhyAndHowToFix() {
    SluiceException error = Errors.emptyTrainSplit("adult", "sluice.adult_snapshot", 4);

    assertThat(error.kind()).isEqualTo(SluiceException.Kind.DATA);
    assertThat(error)
        .hasMessage(
            "Cannot train model 'adult': the train split of sluice.adult_snapshot v4 is empty."
                + " Check sluice.features.split.")
        .hasNoCause();
  }

  @Test
  void aFileNarrowerThanTheSpecNamesTheLabelOnlyWhenItMayBeAbsent() {
    List<String> columns = List.of("x", "y", "label");

    assertThat(Errors.fieldCountMismatch("a.csv", 2, columns, true))
        .hasMessageStartingWith(
            "Cannot ingest a.csv: its first data line has 2 fields but the data-set spec declares"
                + " 3 columns [x, y, label] (or all but the label). Nothing was written.");
    assertThat(Errors.fieldCountMismatch("a.csv", 2, columns, false).getMessage())
        .contains("3 columns [x, y, label]. Nothing was written.")
        .doesNotContain("all but the label");
  }

  @Test
  void settingsErrorsKeepTheirCause() {
    IllegalStateException cause = new IllegalStateException("line 3: expecting a value");

    SluiceException error = Errors.unparsableSettingsFile("app.conf", cause.getMessage(), cause);

    assertThat(error.kind()).isEqualTo(SluiceException.Kind.SETTINGS);
    assertThat(error)
        .hasMessage(
            "Cannot parse settings file 'app.conf': line 3: expecting a value. Fix the HOCON"
                + " syntax at the line it names.")
        .hasCause(cause);
  }
}
