package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.features.FeatureSpec.CategoricalFeature;
import dev.sluice.common.features.FeatureSpec.Impute;
import dev.sluice.common.features.FeatureSpec.NumericFeature;
import dev.sluice.common.features.FeatureSpec.Transform;
import dev.sluice.common.features.SplitSpec;
import dev.sluice.common.features.TrainingWindow;
import dev.sluice.common.testing.TestSpecs;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FeaturesSettingsTest {
  @Test
  void defaults() {
    LoadedSettings loaded = TestSpecs.load(TestSpecs.TINY);
    FeaturesSettings settings = FeaturesSettings.from(loaded);
    assertThat(settings)
        .isEqualTo(
            new FeaturesSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                TinyDataset.DEFAULT_FEATURES,
                OptionalLong.empty(),
                OptionalLong.empty(),
                TrainingWindow.ALL,
                new SplitSpec(SplitSpec.Method.HASH, 42, 0.7, 0.15, 0.15, Map.of()),
                // A hash of sections, not a setting.
                settings.snapshotHash(),
                loaded.hash()));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        TestSpecs.TINY
            + """
            sluice.features {
              as-of-version = 5
              labels-version = 3
              window { batches = 4, days = 30 }
              split {
                method = source
                seed = 7
                train = 0.6
                validation = 0.2
                test = 0.2
                by-source { train = train, later = test }
              }
              numeric { impute = mean, scale = false, transform = bucket, buckets = 4 }
              categorical { min-count = 3 }
              drop = [hours]
              # age and workclass get the sections' treatment above, sex its own.
              columns { sex { min-count = 50 } }
            }
            """;
    assertThat(SectionKeys.in(full, FeatureSpec.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(FeatureSpec.PATH));
    LoadedSettings loaded = TestSpecs.load(full);
    FeaturesSettings settings = FeaturesSettings.from(loaded);
    assertThat(settings)
        .isEqualTo(
            new FeaturesSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                new FeatureSpec(
                    List.of(new NumericFeature("age", Impute.MEAN, false, Transform.BUCKET, 4)),
                    List.of(
                        new CategoricalFeature("workclass", 3), new CategoricalFeature("sex", 50))),
                OptionalLong.of(5),
                OptionalLong.of(3),
                new TrainingWindow(4, 30),
                new SplitSpec(
                    SplitSpec.Method.SOURCE,
                    7,
                    0.6,
                    0.2,
                    0.2,
                    Map.of("train", "train", "later", "test")),
                settings.snapshotHash(),
                loaded.hash()));
  }

  @Test
  void misspeltKeyOfAColumnIsNamed() {
    // sluice.features.columns holds column names, which the loader cannot check against the
    // reference: the record checks the keys under each.
    assertThatThrownBy(
            () ->
                FeaturesSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY + "sluice.features.columns { age { inpute = mean } }")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Unknown setting 'sluice.features.columns.\"age\".inpute'");
  }

  @Test
  void aNegativeWindowOrLabelsVersionIsRefused() {
    assertThatThrownBy(
            () ->
                FeaturesSettings.from(
                    TestSpecs.load(TestSpecs.TINY + "sluice.features.window.batches = -1")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.features.window.batches': must be 0 or more");
    assertThatThrownBy(
            () ->
                FeaturesSettings.from(
                    TestSpecs.load(TestSpecs.TINY + "sluice.features.labels-version = -2")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.features.labels-version'");
  }
}
