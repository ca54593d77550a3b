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

  @Test
  void aHostThatDoesNotAnswerIsNamedWhereverItsFailureIsWrapped() {
    java.net.ConnectException refused =
        new java.net.ConnectException("Call to localhost:8020 failed: Connection refused");
    RuntimeException wrapped =
        new RuntimeException(
            "read failed",
            new java.io.UncheckedIOException(new java.io.IOException("log", refused)));

    assertThat(Errors.unreachable(wrapped))
        .hasValueSatisfying(
            error -> {
              assertThat(error.kind()).isEqualTo(SluiceException.Kind.JOB);
              assertThat(error)
                  .hasMessage(
                      "A host the job needs did not answer (the lakehouse's file system: for HDFS"
                          + " its NameNode, for S3 its endpoint): Call to localhost:8020 failed:"
                          + " Connection refused. Every commit the job made is whole and none was"
                          + " half made: bring the host back and run the job again, and it does"
                          + " only what is left.")
                  .hasCause(wrapped);
            });
    assertThat(Errors.unreachable(new java.net.UnknownHostException("namenode"))).isPresent();
    assertThat(Errors.unreachable(new RuntimeException(new java.io.IOException("disk full"))))
        .isEmpty();
  }
}
