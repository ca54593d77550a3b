package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.monitor.DriftTests;
import dev.sluice.common.monitor.DriftTests.Method;
import dev.sluice.common.testing.TestSpecs;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MonitorSettingsTest {
  @Test
  void defaults() {
    LoadedSettings loaded = TestSpecs.load(TestSpecs.TINY);
    assertThat(MonitorSettings.from(loaded))
        .isEqualTo(
            new MonitorSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                OptionalLong.empty(),
                new DriftTests(
                    0.1,
                    5000,
                    Method.KS,
                    Method.WASSERSTEIN,
                    Method.CHI_SQUARE,
                    Method.JENSEN_SHANNON,
                    0.01,
                    0.1,
                    0.02,
                    true),
                // Empty: sluice.promote.slices.columns, itself empty.
                List.of(),
                loaded.hash()));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        TestSpecs.TINY
            + """
            sluice.monitor {
              # The baseline's bins are fixed when a model is trained: TrainSettings reads them.
              bins = 20
              max-levels = 50
              psi-threshold = 0.25
              model-version = 4
              tests {
                small-sample-rows = 100
                numeric { small = wasserstein, large = ks }
                categorical { small = jensen-shannon, large = chi-square }
                alpha = 0.05
                wasserstein-threshold = 0.2
                jensen-shannon-threshold = 0.05
                require-agreement = false
              }
              fairness { columns = [sex] }
            }
            """;
    assertThat(SectionKeys.in(full, MonitorSettings.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(MonitorSettings.PATH));
    LoadedSettings loaded = TestSpecs.load(full);
    assertThat(MonitorSettings.from(loaded))
        .isEqualTo(
            new MonitorSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                OptionalLong.of(4),
                new DriftTests(
                    0.25,
                    100,
                    Method.WASSERSTEIN,
                    Method.KS,
                    Method.JENSEN_SHANNON,
                    Method.CHI_SQUARE,
                    0.05,
                    0.2,
                    0.05,
                    false),
                List.of("sex"),
                loaded.hash()));
  }

  @Test
  void wrongTypeIsNamed() {
    assertThatThrownBy(
            () ->
                MonitorSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY, Map.of("sluice.monitor.tests.require-agreement", "maybe"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.monitor.tests.require-agreement'");
  }
}
