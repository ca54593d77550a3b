package dev.sluice.common.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.table.ModelRegistryTable;
import dev.sluice.common.testing.RowValues;
import dev.sluice.common.testing.SparkTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * A version's row of {@code model_registry}, in the table's column order, and the version read back
 * from the row a query returns. {@link RegistryTest} takes the same rows through the table.
 */
class ModelVersionTest extends SparkTestBase {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:01.000001Z");

  @Test
  void aVersionIsItsRowOfTheRegistry() {
    ModelVersion known = version(OptionalLong.of(5), Optional.of("abc123"));
    assertThat(RowValues.of(known.toRow()))
        .isEqualTo(
            RowValues.of(
                RowFactory.create(
                    "m",
                    2L,
                    Timestamp.from(CREATED),
                    "run-2",
                    "gbt",
                    Map.of("maxDepth", "5"),
                    "binary",
                    "m_snapshot",
                    12L,
                    "m_raw",
                    5L,
                    "features",
                    "settings",
                    "{}",
                    44L,
                    "abc123",
                    "areaUnderROC",
                    0.75,
                    Map.of("areaUnderROC", 0.8),
                    Map.of("areaUnderROC", 0.7, "f1", 0.25),
                    List.of("no", "yes"),
                    "/models/m/v2",
                    "candidate",
                    "m_snapshot@12")));
    ModelVersion unknown = version(OptionalLong.empty(), Optional.empty());
    Row row = unknown.toRow();
    assertThat(row.isNullAt(ModelRegistryTable.SCHEMA.fieldIndex(ModelRegistryTable.RAW_VERSION)))
        .isTrue();
    assertThat(row.isNullAt(ModelRegistryTable.SCHEMA.fieldIndex(ModelRegistryTable.SOURCE_COMMIT)))
        .isTrue();

    for (ModelVersion version : List.of(known, unknown)) {
      Row collected =
          spark
              .createDataFrame(List.of(version.toRow()), ModelRegistryTable.SCHEMA)
              .collectAsList()
              .get(0);
      assertThat(ModelVersion.from(collected)).isEqualTo(version);
    }
  }

  private static ModelVersion version(OptionalLong rawVersion, Optional<String> sourceCommit) {
    return new ModelVersion(
        "m",
        2,
        CREATED,
        "run-2",
        "gbt",
        Map.of("maxDepth", "5"),
        "binary",
        "m_snapshot",
        12,
        "m_raw",
        rawVersion,
        "features",
        "settings",
        "{}",
        44,
        sourceCommit,
        "areaUnderROC",
        0.75,
        Map.of("areaUnderROC", 0.8),
        Map.of("areaUnderROC", 0.7, "f1", 0.25),
        List.of("no", "yes"),
        "/models/m/v2",
        "candidate",
        "m_snapshot@12");
  }
}
