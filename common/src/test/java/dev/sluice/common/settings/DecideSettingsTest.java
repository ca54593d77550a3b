package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.decide.RetrainRules;
import dev.sluice.common.testing.TestSpecs;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DecideSettingsTest {
  @Test
  void defaults() {
    LoadedSettings loaded = TestSpecs.load(TestSpecs.TINY, Map.of());
    DecideSettings settings = DecideSettings.from(loaded);
    assertThat(settings.dryRun()).isFalse();
    assertThat(settings.rules())
        .isEqualTo(
            new RetrainRules.Settings(
                2, 3, 30, 10000, 24, OptionalDouble.empty(), OptionalDouble.of(0.05)));
    // The training selection metric of a binary task.
    assertThat(settings.performanceMetric()).isEqualTo("areaUnderROC");
    assertThat(settings.minLabelledRows()).isEqualTo(100);
    assertThat(settings)
        .isEqualTo(
            new DecideSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                false,
                new RetrainRules.Settings(
                    2, 3, 30, 10000, 24, OptionalDouble.empty(), OptionalDouble.of(0.05)),
                "areaUnderROC",
                100,
                loaded.hash()));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        TestSpecs.TINY
            + """
            sluice.decide {
              mode = dry-run
              drift { k = 3, n = 5 }
              max-snapshot-age-days = 7
              min-new-rows = 500
              cooldown-hours = 6
              performance { metric = accuracy, floor = 0.8, max-drop = 0.1, min-labelled-rows = 50 }
            }
            """;
    assertThat(SectionKeys.in(full, DecideSettings.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(DecideSettings.PATH));
    LoadedSettings loaded = TestSpecs.load(full);
    assertThat(DecideSettings.from(loaded))
        .isEqualTo(
            new DecideSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                true,
                new RetrainRules.Settings(
                    3, 5, 7, 500, 6, OptionalDouble.of(0.8), OptionalDouble.of(0.1)),
                "accuracy",
                50,
                loaded.hash()));
  }

  @Test
  void performanceRulesAreSettings() {
    DecideSettings settings =
        DecideSettings.from(
            TestSpecs.load(
                TestSpecs.TINY,
                Map.of(
                    "sluice.decide.performance.metric", "accuracy",
                    "sluice.decide.performance.floor", "0.8",
                    "sluice.decide.performance.max-drop", "null",
                    "sluice.decide.performance.min-labelled-rows", "500")));
    assertThat(settings.rules().performanceFloor()).isEqualTo(OptionalDouble.of(0.8));
    assertThat(settings.rules().maxPerformanceDrop()).isEmpty();
    assertThat(settings.performanceMetric()).isEqualTo("accuracy");
    assertThat(settings.minLabelledRows()).isEqualTo(500);
    assertThatThrownBy(
            () ->
                DecideSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY, Map.of("sluice.decide.performance.max-drop", "-0.1"))))
        .hasMessageContaining("sluice.decide.performance.max-drop");
  }

  @Test
  void wrongTypeIsNamed() {
    assertThatThrownBy(
            () ->
                DecideSettings.from(
                    TestSpecs.load(TestSpecs.TINY, Map.of("sluice.decide.drift.k", "two"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.decide.drift.k'");
  }
}
