package dev.sluice.common.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.testing.SparkTestBase;
import java.nio.file.Path;
import java.time.Instant;
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
}
