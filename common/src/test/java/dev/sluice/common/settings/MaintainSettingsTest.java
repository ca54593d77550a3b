package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.testing.TestSpecs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintainSettingsTest {
  @Test
  void defaults() {
    LoadedSettings loaded = TestSpecs.load("");
    assertThat(MaintainSettings.from(loaded))
        .isEqualTo(
            new MaintainSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                true,
                168.0,
                List.of(),
                loaded.hash()));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        """
        sluice.maintain {
          compact = false
          retention-hours = 0.5
          tables = [adult_snapshot, predictions]
        }
        """;
    assertThat(SectionKeys.in(full, MaintainSettings.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(MaintainSettings.PATH));
    LoadedSettings loaded = TestSpecs.load(full);
    assertThat(MaintainSettings.from(loaded))
        .isEqualTo(
            new MaintainSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                false,
                0.5,
                List.of("adult_snapshot", "predictions"),
                loaded.hash()));
  }

  @Test
  void aNegativeRetentionIsRefused() {
    assertThatThrownBy(
            () ->
                MaintainSettings.from(
                    TestSpecs.load("", Map.of("sluice.maintain.retention-hours", "-1"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.maintain.retention-hours'");
  }
}
