package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.testing.TestSpecs;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReproduceSettingsTest {
  @Test
  void defaults() {
    LoadedSettings loaded = TestSpecs.load(TestSpecs.TINY);
    assertThat(ReproduceSettings.from(loaded))
        .isEqualTo(
            new ReproduceSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                OptionalLong.empty(),
                1e-9,
                loaded.hash()));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        TestSpecs.TINY
            + """
            sluice.reproduce {
              model-version = 6
              tolerance = 0.001
            }
            """;
    assertThat(SectionKeys.in(full, ReproduceSettings.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(ReproduceSettings.PATH));
    LoadedSettings loaded = TestSpecs.load(full);
    assertThat(ReproduceSettings.from(loaded))
        .isEqualTo(
            new ReproduceSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                OptionalLong.of(6),
                0.001,
                loaded.hash()));
  }

  @Test
  void wrongTypeIsNamed() {
    assertThatThrownBy(
            () ->
                ReproduceSettings.from(
                    TestSpecs.load(TestSpecs.TINY, Map.of("sluice.reproduce.tolerance", "tiny"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.reproduce.tolerance'");
  }
}
