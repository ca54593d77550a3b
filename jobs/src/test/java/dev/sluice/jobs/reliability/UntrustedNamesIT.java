package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.testing.TestSpecs;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 11: settings accept no filter or feature expressions at all; the only settings text that
 * reaches Spark as a reference is a column name (and the database name, checked the same way).
 * Pass: a column name carrying a quote, backtick, dot, ';', a call such as reflect or java_method,
 * a subquery or a file path is refused while settings load, before any Spark session, with the key
 * named.
 */
class UntrustedNamesIT {
  private static IngestSettings withColumn(String name) {
    String spec =
        TestSpecs.TINY.replace(
            "{ name = workclass, role = categorical }",
            "{ name = \""
                + name.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\", role = categorical }");
    return IngestSettings.from(TestSpecs.load(spec, Map.of()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a`b",
        "x; DROP TABLE sluice.tiny_raw",
        "reflect('java.lang.Runtime', 'getRuntime')",
        "java_method('java.lang.System', 'exit', 1)",
        "(SELECT 1)",
        "parquet.`/etc`",
        "a.b",
        "name with space",
        "quote'd"
      })
  void anUntrustedColumnNameIsRefused(String name) {
    assertThatThrownBy(() -> withColumn(name))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.dataset.columns[1].name'")
        .hasMessageContaining("is not a plain column name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"workclass", "native-country", "_id", "Hours_per_week2"})
  void plainNamesAreAccepted(String name) {
    assertThatCode(() -> withColumn(name)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sluice; DROP", "a`b", "parquet.`/etc`"})
  void anUntrustedDatabaseNameIsRefused(String name) {
    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(TestSpecs.TINY, Map.of("sluice.lakehouse.database", name))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.lakehouse.database'");
  }
}
