package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.settings.PromoteSettings.Bootstrap;
import dev.sluice.common.settings.PromoteSettings.Mode;
import dev.sluice.common.settings.PromoteSettings.Slices;
import dev.sluice.common.testing.TestSpecs;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PromoteSettingsTest {
  @Test
  void defaults() {
    LoadedSettings loaded = TestSpecs.load(TestSpecs.TINY);
    assertThat(PromoteSettings.from(loaded))
        .isEqualTo(
            new PromoteSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                Mode.ENABLED,
                OptionalLong.empty(),
                new Bootstrap(200, 7, 0.95, 200000),
                0.0,
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                new Slices(List.of(), OptionalDouble.empty(), OptionalDouble.of(0.05), 100),
                // sluice.train.metric is empty: a binary task's default.
                "areaUnderROC",
                OptionalLong.empty(),
                "",
                loaded.hash()));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        TestSpecs.TINY
            + """
            sluice.promote {
              mode = dry-run
              challenger-version = 3
              bootstrap { resamples = 50, seed = 11, confidence = 0.9, max-rows = 1000 }
              min-improvement = 0.01
              min-metric = 0.7
              max-metric = 0.99
              slices { columns = [sex, workclass], max-drop = 0.1, max-relative-drop = 0.2, min-rows = 20 }
              rollback-to = 2
              reason = " v3 mislabels new customers "
            }
            """;
    assertThat(SectionKeys.in(full, PromoteSettings.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(PromoteSettings.PATH));
    LoadedSettings loaded = TestSpecs.load(full);
    assertThat(PromoteSettings.from(loaded))
        .isEqualTo(
            new PromoteSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                Mode.DRY_RUN,
                OptionalLong.of(3),
                new Bootstrap(50, 11, 0.9, 1000),
                0.01,
                OptionalDouble.of(0.7),
                OptionalDouble.of(0.99),
                new Slices(
                    List.of("sex", "workclass"),
                    OptionalDouble.of(0.1),
                    OptionalDouble.of(0.2),
                    20),
                "areaUnderROC",
                OptionalLong.of(2),
                "v3 mislabels new customers",
                loaded.hash()));
  }

  @Test
  void theGateBootstrapsAreaUnderPrButNotMacroF1() {
    assertThat(
            PromoteSettings.from(
                    TestSpecs.load(TestSpecs.TINY + "sluice.train.metric = areaUnderPR"))
                .metric())
        .isEqualTo("areaUnderPR");
    assertThatThrownBy(
            () ->
                PromoteSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY
                            + """
                            sluice.dataset {
                              task = multiclass
                              label { classes = [a, b, c], positive-class = "" }
                            }
                            sluice.train.metric = macroF1
                            """)))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Invalid setting 'sluice.train.metric': the promotion gate cannot bootstrap 'macroF1':"
                + " it recomputes the metric on the driver for every resample. Use one of [f1,"
                + " accuracy, logLoss].");
  }

  @Test
  void wrongTypeIsNamed() {
    assertThatThrownBy(
            () ->
                PromoteSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY, Map.of("sluice.promote.bootstrap.resamples", "lots"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.promote.bootstrap.resamples'");
  }

  @Test
  void aSlicesAllowedDropIsTheStricterOfItsBoundsInTheMetricsUnits() {
    Slices relative =
        new Slices(List.of("sex"), OptionalDouble.empty(), OptionalDouble.of(0.05), 1);
    // An RMSE of 2,000 on a group may grow by 100; an AUC of 0.9 drop by 0.045.
    assertThat(relative.allowedDrop(2000).getAsDouble()).isEqualTo(100.0);
    assertThat(relative.allowedDrop(0.9).getAsDouble())
        .isCloseTo(0.045, org.assertj.core.api.Assertions.within(1e-12));
    Slices both = new Slices(List.of("sex"), OptionalDouble.of(0.02), OptionalDouble.of(0.05), 1);
    assertThat(both.allowedDrop(0.9)).hasValue(0.02);
    assertThat(both.allowedDrop(0.2).getAsDouble())
        .isCloseTo(0.01, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(
            new Slices(List.of(), OptionalDouble.empty(), OptionalDouble.empty(), 1).allowedDrop(1))
        .isEmpty();
    assertThatThrownBy(
            () ->
                PromoteSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY + "sluice.promote.slices.max-relative-drop = -1")))
        .hasMessageContaining("sluice.promote.slices.max-relative-drop")
        .hasMessageContaining("must be 0 or more");
  }

  @Test
  void aRollbackWithoutAReasonIsRefused() {
    assertThatThrownBy(
            () ->
                PromoteSettings.from(
                    TestSpecs.load(TestSpecs.TINY + "sluice.promote.rollback-to = 2")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.promote.reason': is empty, and a rollback is logged with its"
                + " reason");
  }
}
