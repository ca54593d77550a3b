package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.testing.TestSpecs;
import org.junit.jupiter.api.Test;

class LakehouseSettingsTest {
  private static final String PATH = "sluice.lakehouse";

  @Test
  void defaults() {
    assertThat(LakehouseSettings.from(TestSpecs.load("").config()))
        .isEqualTo(new LakehouseSettings("lakehouse", "sluice"));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        """
        sluice.lakehouse {
          root = "hdfs://nn/lake"
          database = prod_2
        }
        """;
    assertThat(SectionKeys.in(full, PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(PATH));
    assertThat(LakehouseSettings.from(TestSpecs.load(full).config()))
        .isEqualTo(new LakehouseSettings("hdfs://nn/lake", "prod_2"));
  }

  @Test
  void misspeltKeyIsNamedWithASuggestion() {
    assertThatThrownBy(
            () -> LakehouseSettings.from(TestSpecs.load("sluice.lakehouse.databse = x").config()))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Unknown setting 'sluice.lakehouse.databse'")
        .hasMessageContaining("Did you mean 'sluice.lakehouse.database'?");
  }
}
