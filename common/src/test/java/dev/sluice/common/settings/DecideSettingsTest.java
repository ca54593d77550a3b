package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.decide.RetrainRules;
import dev.sluice.common.testing.TestSpecs;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DecideSettingsTest {
  @Test
  void defaults() {
    DecideSettings settings = DecideSettings.from(TestSpecs.load(TestSpecs.TINY, Map.of()));
    assertThat(settings.dryRun()).isFalse();
    assertThat(settings.rules())
        .isEqualTo(
            new RetrainRules.Settings(
                2, 3, 30, 10000, 24, OptionalDouble.empty(), OptionalDouble.of(0.05)));
    // The training selection metric of a binary task.
    assertThat(settings.performanceMetric()).isEqualTo("areaUnderROC");
    assertThat(settings.minLabelledRows()).isEqualTo(100);
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
}
