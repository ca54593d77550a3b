package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.SplitSpec;
import dev.sluice.common.testing.TestSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferSettingsTest {
  private static final SplitSpec REFERENCE_SPLIT =
      new SplitSpec(SplitSpec.Method.HASH, 42, 0.7, 0.15, 0.15, Map.of());

  @TempDir Path dir;

  @Test
  void defaults() {
    assertThat(
            InferSettings.from(
                TestSpecs.load("sluice.infer { file = \"a.csv\", label = y, name = boxes }")))
        .isEqualTo(
            new InferSettings(
                "a.csv",
                "y",
                "boxes",
                Optional.empty(),
                Path.of("conf/datasets/boxes.conf"),
                false,
                10_000,
                List.of("", "?", "NA", "N/A", "n/a", "null", "NULL", "None", "NaN", "nan"),
                20,
                20,
                REFERENCE_SPLIT));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        """
        sluice.infer {
          file = "s3a://bucket/boxes.csv.gz"
          label = "class.name"
          name = boxes
          task = multiclass
          output = "elsewhere/boxes.conf"
          force = true
          sample-rows = 500
          null-candidates = ["", "-"]
          max-integer-classes = 5
          max-listed-values = 8
        }
        sluice.features.split { seed = 7, train = 0.8, validation = 0.1, test = 0.1 }
        """;
    assertThat(SectionKeys.in(full, InferSettings.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(InferSettings.PATH));
    assertThat(InferSettings.from(TestSpecs.load(full)))
        .isEqualTo(
            new InferSettings(
                "s3a://bucket/boxes.csv.gz",
                "class.name",
                "boxes",
                Optional.of(TaskType.MULTICLASS),
                Path.of("elsewhere/boxes.conf"),
                true,
                500,
                List.of("", "-"),
                5,
                8,
                new SplitSpec(SplitSpec.Method.HASH, 7, 0.8, 0.1, 0.1, Map.of())));
  }

  @Test
  void theCommandLineIsAFileAndFlags() {
    assertThat(
            InferSettings.load(
                new String[] {
                  "--name",
                  "boxes",
                  "data/x.csv",
                  "--label=y",
                  "--force",
                  "--task",
                  "regression",
                  "--sample-rows",
                  "7",
                  "--output",
                  "o.conf"
                }))
        .isEqualTo(
            new InferSettings(
                "data/x.csv",
                "y",
                "boxes",
                Optional.of(TaskType.REGRESSION),
                Path.of("o.conf"),
                true,
                7,
                List.of("", "?", "NA", "N/A", "n/a", "null", "NULL", "None", "NaN", "nan"),
                20,
                20,
                REFERENCE_SPLIT));
  }

  @Test
  void anExistingOutputIsRefusedBeforeAnythingRunsUnlessForced() throws IOException {
    Path existing = Files.writeString(dir.resolve("boxes.conf"), "# mine\n");
    String[] args = {"x.csv", "--label", "y", "--name", "boxes", "--output", existing.toString()};

    assertThatThrownBy(() -> InferSettings.load(args))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Cannot write data-set file "
                + existing
                + ": it exists, and it may hold edits. Nothing was written. Pass --force to"
                + " overwrite it, or --output to write another file.");
    String[] forced = {
      "x.csv", "--label", "y", "--name", "boxes", "--output", existing.toString(), "--force"
    };
    assertThat(InferSettings.load(forced).force()).isTrue();
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(
            () ->
                InferSettings.load(
                    new String[] {"x.csv", "--label", "y", "--name", "b", "--task", "ranking"}))
        .hasMessageStartingWith("Invalid setting 'sluice.infer.task': 'ranking' is not one of");
    assertThatThrownBy(
            () ->
                InferSettings.load(
                    new String[] {"x.csv", "--label", "y", "--name", "b", "--sample-rows", "0"}))
        .hasMessageStartingWith("Invalid setting 'sluice.infer.sample-rows': must be positive");
    assertThatThrownBy(
            () ->
                InferSettings.from(
                    TestSpecs.load(
                        "sluice.infer { file = a, label = y, name = b, max-integer-classes = 2 }")))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.infer.max-integer-classes': must be at least 3, was 2");
    assertThatThrownBy(() -> InferSettings.load(new String[] {"x.csv", "--labl", "y"}))
        .hasMessageStartingWith("Invalid argument '--labl': unknown argument. Usage: infer FILE");
  }
}
