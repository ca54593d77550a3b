package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.testing.TestSpecs;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReportSettingsTest {
  @Test
  void defaults() {
    LoadedSettings loaded = TestSpecs.load(TestSpecs.TINY);
    assertThat(ReportSettings.from(loaded))
        .isEqualTo(
            new ReportSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                TinyDataset.DEFAULT_FEATURES,
                OptionalLong.empty(),
                20000,
                3,
                // sluice.promote.slices.columns
                List.of(),
                // sluice.train.metric is empty: a binary task's default.
                "areaUnderROC",
                loaded.hash()));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        TestSpecs.TINY
            + """
            sluice.report {
              model-version = 2
              max-rows = 500
              seed = 9
            }
            """;
    assertThat(SectionKeys.in(full, ReportSettings.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(ReportSettings.PATH));
    LoadedSettings loaded = TestSpecs.load(full);
    assertThat(ReportSettings.from(loaded))
        .isEqualTo(
            new ReportSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                TinyDataset.DEFAULT_FEATURES,
                OptionalLong.of(2),
                500,
                9,
                List.of(),
                "areaUnderROC",
                loaded.hash()));
  }

  @Test
  void wrongTypeIsNamed() {
    assertThatThrownBy(
            () ->
                ReportSettings.from(
                    TestSpecs.load(TestSpecs.TINY, Map.of("sluice.report.max-rows", "many"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.report.max-rows'");
  }
}
