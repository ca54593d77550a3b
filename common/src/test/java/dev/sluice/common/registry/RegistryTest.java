package dev.sluice.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.Registry.Fallback;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.testing.SparkTestBase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void championAtAnyTimeAcrossThreePromotions() {
    Registry registry =
        new Registry(new Lakehouse(spark, new LakehouseSettings(dir.toString(), "sluice")));
    Instant t1 = Instant.parse("2026-01-01T00:00:00Z");
    Instant t2 = Instant.parse("2026-02-01T00:00:00Z");
    Instant t3 = Instant.parse("2026-03-01T00:00:00Z");
    registry.setAlias("m", Registry.CHAMPION, OptionalLong.of(1), "first", "run-1", t1);
    registry.setAlias("m", Registry.CHAMPION, OptionalLong.of(2), "better", "run-2", t2);
    registry.setAlias("m", Registry.CHAMPION, OptionalLong.of(4), "better again", "run-3", t3);
    registry.setAlias("other", Registry.CHAMPION, OptionalLong.of(9), "unrelated", "run-4", t2);

    assertThat(registry.aliasAt("m", Registry.CHAMPION, t1.minusSeconds(1))).isEmpty();
    assertThat(registry.aliasAt("m", Registry.CHAMPION, t1)).hasValue(1);
    assertThat(registry.aliasAt("m", Registry.CHAMPION, t2.minusSeconds(1))).hasValue(1);
    assertThat(registry.aliasAt("m", Registry.CHAMPION, t2.plusSeconds(1))).hasValue(2);
    assertThat(registry.aliasAt("m", Registry.CHAMPION, t3)).hasValue(4);
    assertThat(registry.alias("m", Registry.CHAMPION)).hasValue(4);
    assertThat(registry.alias("m", Registry.CHALLENGER)).isEmpty();
    assertThat(
            spark
                .read()
                .format("delta")
                .load(dir.resolve("alias_log").toString())
                .where("model_name = 'm'")
                .orderBy("changed_at")
                .select("version", "previous_version")
                .collectAsList())
        .extracting(Object::toString)
        .containsExactly("[1,null]", "[2,1]", "[4,2]");
  }

  @Test
  void versionsStartAtOneForANewModel() {
    Registry registry =
        new Registry(new Lakehouse(spark, new LakehouseSettings(dir.toString(), "sluice")));
    assertThat(registry.nextVersion("m")).isEqualTo(1);
    assertThat(registry.latestVersion("m")).isEmpty();
  }

  @Test
  void aJobGetsTheVersionItAsksForElseTheChampionOrTheNewest() {
    Registry registry = registry();
    // Version 1 has neither a raw version nor a source commit: the empty values survive the table.
    ModelVersion v1 = version("m", 1, OptionalLong.empty(), Optional.empty());
    ModelVersion v2 = version("m", 2, OptionalLong.of(5), Optional.of("abc123"));
    ModelVersion v3 = version("m", 3, OptionalLong.of(6), Optional.empty());
    for (ModelVersion v :
        List.of(v1, v2, v3, version("other", 1, OptionalLong.of(1), Optional.empty()))) {
      registry.register(v.toRow(), v.model(), v.version());
    }
    registry.setAlias(
        "m", Registry.CHAMPION, OptionalLong.of(2), "promoted", "run-9", Instant.now());

    assertThat(registry.resolve("m", OptionalLong.of(1), Fallback.CHAMPION, "score with", "--v"))
        .isEqualTo(v1);
    assertThat(registry.resolve("m", OptionalLong.empty(), Fallback.CHAMPION, "score with", "--v"))
        .isEqualTo(v2);
    assertThat(registry.resolve("m", OptionalLong.empty(), Fallback.LATEST, "promote", "--v"))
        .isEqualTo(v3);
    assertThat(registry.resolve("m", OptionalLong.of(1), Fallback.LATEST, "promote", "--v"))
        .isEqualTo(v1);
    assertThat(registry.version("m", 2)).hasValue(v2);
    assertThat(registry.version("m", 4)).isEmpty();
  }

  @Test
  void noVersionRegisteredYet() {
    Registry registry = registry();
    assertThatThrownBy(
            () -> registry.resolve("m", OptionalLong.empty(), Fallback.LATEST, "report on", "--v"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Cannot report on model 'm': no version of it is registered, so there is none to use."
                + " Run train first.")
        .extracting(e -> ((SluiceException) e).kind())
        .isEqualTo(SluiceException.Kind.DATA);
    assertThatThrownBy(
            () -> registry.resolve("m", OptionalLong.of(1), Fallback.LATEST, "report on", "--v"))
        .hasMessage(
            "Cannot report on model 'm' version 1: it is not registered, nor is any version of it."
                + " Run train first.");
  }

  @Test
  void noChampionYet() {
    Registry registry = registry();
    ModelVersion v1 = version("m", 1, OptionalLong.of(1), Optional.empty());
    registry.register(v1.toRow(), "m", 1);
    // The champion of another model is not this one's.
    registry.setAlias(
        "other", Registry.CHAMPION, OptionalLong.of(1), "promoted", "run-1", Instant.now());

    assertThatThrownBy(
            () ->
                registry.resolve(
                    "m", OptionalLong.empty(), Fallback.CHAMPION, "score with", "--model-version"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Cannot score with model 'm': it has no champion yet, because no version of it has"
                + " been promoted. Run promote, or pass --model-version N to use registered"
                + " version N.");
    // A job without a version option is told only to promote.
    assertThatThrownBy(
            () ->
                registry.resolve(
                    "m", OptionalLong.empty(), Fallback.CHAMPION, "decide on retraining", ""))
        .hasMessage(
            "Cannot decide on retraining model 'm': it has no champion yet, because no version of"
                + " it has been promoted. Run promote.");
    // Removing the alias leaves no champion either.
    registry.setAlias(
        "m",
        Registry.CHAMPION,
        OptionalLong.of(1),
        "promoted",
        "run-2",
        Instant.parse("2026-01-01T00:00:00Z"));
    registry.setAlias(
        "m",
        Registry.CHAMPION,
        OptionalLong.empty(),
        "retired",
        "run-3",
        Instant.parse("2026-01-02T00:00:00Z"));
    assertThatThrownBy(
            () -> registry.resolve("m", OptionalLong.empty(), Fallback.CHAMPION, "monitor", "--v"))
        .hasMessageStartingWith("Cannot monitor model 'm': it has no champion yet");
  }

  @Test
  void noSuchVersion() {
    Registry registry = registry();
    for (long v = 1; v <= 2; v++) {
      registry.register(version("m", v, OptionalLong.of(v), Optional.empty()).toRow(), "m", v);
    }
    registry.register(
        version("other", 1, OptionalLong.of(1), Optional.empty()).toRow(), "other", 1);
    registry.register(
        version("other", 2, OptionalLong.of(1), Optional.empty()).toRow(), "other", 2);
    registry.register(
        version("other", 3, OptionalLong.of(1), Optional.empty()).toRow(), "other", 3);

    assertThatThrownBy(
            () ->
                registry.resolve(
                    "m", OptionalLong.of(3), Fallback.CHAMPION, "score with", "--model-version"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Cannot score with model 'm' version 3: it is not registered; the registered versions"
                + " are [1, 2]. Pass one of them with --model-version.");
    assertThatThrownBy(
            () ->
                registry.resolve(
                    "m", OptionalLong.of(0), Fallback.LATEST, "promote", "--challenger"))
        .hasMessage(
            "Cannot promote model 'm' version 0: it is not registered; the registered versions"
                + " are [1, 2]. Pass one of them with --challenger.");
  }

  @Test
  void aChampionTheRegistryDoesNotHold() {
    Registry registry = registry();
    registry.register(version("m", 1, OptionalLong.of(1), Optional.empty()).toRow(), "m", 1);
    registry.setAlias(
        "m", Registry.CHAMPION, OptionalLong.of(7), "restored", "run-1", Instant.now());

    assertThatThrownBy(
            () -> registry.resolve("m", OptionalLong.empty(), Fallback.CHAMPION, "monitor", "--v"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Cannot monitor model 'm': its champion alias (alias_log) points to version 7, which"
                + " model_registry does not hold (registered: [1]). Restore model_registry, or run"
                + " promote to point the champion at a registered version.");
  }

  private Registry registry() {
    return new Registry(new Lakehouse(spark, new LakehouseSettings(dir.toString(), "sluice")));
  }

  /** A registered version whose every value derives from its model and number. */
  private static ModelVersion version(
      String model, long version, OptionalLong rawVersion, Optional<String> sourceCommit) {
    return new ModelVersion(
        model,
        version,
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version),
        "run-" + version,
        "logistic-regression",
        Map.of("regParam", "0.0" + version, "maxIter", "100"),
        "binary",
        model + "_snapshot",
        10 + version,
        model + "_raw",
        rawVersion,
        "features-" + version,
        "settings-" + version,
        "{\"train\":{\"seed\":" + version + "}}",
        42 + version,
        sourceCommit,
        "areaUnderROC",
        0.5 + version / 10.0,
        Map.of("areaUnderROC", 0.6 + version / 10.0),
        Map.of("areaUnderROC", 0.7 + version / 10.0, "f1", 0.25),
        List.of("no", "yes"),
        "/models/" + model + "/v" + version,
        "candidate",
        model + "_snapshot@" + version);
  }
}
