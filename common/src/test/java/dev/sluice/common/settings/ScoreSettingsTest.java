package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.features.SplitSpec;
import dev.sluice.common.testing.TestSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ScoreSettingsTest {
  @Test
  void defaults() {
    LoadedSettings loaded = TestSpecs.load(TestSpecs.TINY);
    assertThat(ScoreSettings.from(loaded))
        .isEqualTo(
            new ScoreSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                OptionalLong.empty(),
                OptionalLong.empty(),
                "",
                "",
                "",
                new SplitSpec(SplitSpec.Method.HASH, 42, 0.7, 0.15, 0.15, Map.of()),
                List.of(),
                true,
                loaded.hash()));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        TestSpecs.TINY
            + """
            sluice.score {
              model-version = 2
              input-version = 8
              batch-id = "b-1"
              source = later
              split = test
              files = ["x.csv", "y.csv"]
              pending = false
              all = false
            }
            sluice.features.split { method = source, by-source { later = test }, seed = 7 }
            """;
    assertThat(SectionKeys.in(full, ScoreSettings.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(ScoreSettings.PATH));
    LoadedSettings loaded = TestSpecs.load(full);
    assertThat(ScoreSettings.from(loaded))
        .isEqualTo(
            new ScoreSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                OptionalLong.of(2),
                OptionalLong.of(8),
                "b-1",
                "later",
                "test",
                new SplitSpec(SplitSpec.Method.SOURCE, 7, 0.7, 0.15, 0.15, Map.of("later", "test")),
                List.of("x.csv", "y.csv"),
                false,
                loaded.hash()));
  }

  @Test
  void aSplitThatIsNoneOfTheThreeIsRefused() {
    assertThatThrownBy(
            () ->
                ScoreSettings.from(
                    TestSpecs.load(TestSpecs.TINY, Map.of("sluice.score.split", "holdout"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.score.split': 'holdout' is not a split");
  }

  @Test
  void misspeltKeyIsNamedWithASuggestion() {
    assertThatThrownBy(
            () -> ScoreSettings.from(TestSpecs.load(TestSpecs.TINY + "sluice.score.batchid = b")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Unknown setting 'sluice.score.batchid'")
        .hasMessageContaining("Did you mean 'sluice.score.batch-id'?");
  }

  @Test
  void pendingIsASwitchFlagThatTakesNoOtherFilter() throws IOException {
    Path file = Files.createTempFile("tiny", ".conf");
    Files.writeString(file, TestSpecs.TINY);
    String[] args = {"--config", file.toString(), "--pending", "--model-version", "3"};
    ScoreSettings pending =
        ScoreSettings.from(SettingsLoader.load(args, ScoreSettings.FLAGS, ScoreSettings.USAGE));
    assertThat(pending.pending()).isTrue();
    assertThat(pending.modelVersion()).hasValue(3);
    assertThatThrownBy(
            () ->
                SettingsLoader.load(
                    new String[] {"--pending=yes"}, ScoreSettings.FLAGS, ScoreSettings.USAGE))
        .hasMessageContaining("it takes no value");
    assertThatThrownBy(
            () ->
                ScoreSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY,
                        Map.of("sluice.score.pending", "true", "sluice.score.split", "test"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.score.pending': is true and sluice.score.split is set");
  }

  @Test
  void withNoFilterARunScoresThePendingBatchesAndAllScoresEveryRow() throws IOException {
    Path file = Files.createTempFile("tiny", ".conf");
    Files.writeString(file, TestSpecs.TINY);
    String[] all = {"--config", file.toString(), "--all"};
    assertThat(
            ScoreSettings.from(SettingsLoader.load(all, ScoreSettings.FLAGS, ScoreSettings.USAGE))
                .pending())
        .isFalse();
    assertThat(
            ScoreSettings.from(TestSpecs.load(TestSpecs.TINY, Map.of("sluice.score.source", "s")))
                .pending())
        .isFalse();
    assertThatThrownBy(
            () ->
                ScoreSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY,
                        Map.of("sluice.score.all", "true", "sluice.score.batch-id", "b"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.score.all': is true and sluice.score.batch-id is set");
    assertThatThrownBy(
            () ->
                ScoreSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY,
                        Map.of("sluice.score.all", "true", "sluice.score.pending", "true"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.score.pending': is true and sluice.score.all is true");
  }
}
