package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.ingest.IngestJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 6: a new batch whose shape drifted (an extra column, a changed type). Pass: rejected
 * with an error naming the table or file and the way out, every table's version and content
 * unchanged; accepted only with {@code sluice.ingest.schema-evolution = true}.
 */
class SchemaDriftIT extends SparkTestBase {
  private static final String[] DATA = {"age", "workclass", "hours", "sex", "income"};
  private static final String EXTRA_COLUMN =
      TestSpecs.TINY.replace(
          "{ name = income, role = label }",
          "{ name = income, role = label }\n    { name = tenure, role = numeric, type = int }");
  private static final String HOURS_AS_STRING =
      TestSpecs.TINY.replace(
          "{ name = hours, role = numeric, type = double }",
          "{ name = hours, role = categorical, type = string }");

  @TempDir Path dir;

  private IngestJob ingest(String spec, Path file, Map<String, String> overrides) {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    sets.put("sluice.ingest.files", "[\"" + file + "\"]");
    return new IngestJob(spark, IngestSettings.from(TestSpecs.load(spec, sets)));
  }

  private Path write(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, java.util.List.of(lines));
    return file;
  }

  /** Version and content of every table under the lakehouse. */
  private Map<String, Object> state() {
    Map<String, Object> state = new HashMap<>();
    for (String table : new String[] {"tiny_raw", "data_profiles", "quarantine", "job_runs"}) {
      Path path = dir.resolve("lake").resolve(table);
      if (!Files.exists(path)) {
        continue;
      }
      DeltaLog.clearCache();
      Dataset<Row> rows = spark.read().format("delta").load(path.toString());
      state.put(
          table,
          DeltaLog.forTable(spark, path.toString())
                  .update(false, scala.Option.empty(), scala.Option.empty())
                  .version()
              + " "
              + Fingerprint.of(rows, rows.columns()));
    }
    return state;
  }

  @Test
  void driftedBatchesAreRejectedAndTheTablesStayAsTheyWere() throws Exception {
    ingest(
            TestSpecs.TINY,
            write("first.csv", "39, State-gov, 40, Male, <=50K", "50, ?, 13.5, Female, >50K"),
            Map.of())
        .run();
    Dataset<Row> raw = spark.read().format("delta").load(dir.resolve("lake/tiny_raw").toString());
    Fingerprint before = Fingerprint.of(raw, DATA);
    assertThat(before.rows()).isEqualTo(2);

    // An extra field in the file, the spec unchanged: caught from the file's first line.
    Path extraField = write("extra-field.csv", "41, Private, 40, Male, <=50K, 7");
    Map<String, Object> start = state();
    assertThatThrownBy(() -> ingest(TestSpecs.TINY, extraField, Map.of()).run())
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Cannot ingest ")
        .hasMessageContaining("its first data line has 6 fields but the data-set spec declares 5");
    // job_runs gains the FAILED run; the data tables are untouched.
    Map<String, Object> afterExtraField = state();
    afterExtraField.remove("job_runs");
    Map<String, Object> expected = new HashMap<>(start);
    expected.remove("job_runs");
    assertThat(afterExtraField).isEqualTo(expected);

    // The spec gained a column: the raw table's schema no longer fits.
    Path sixFields = write("six.csv", "41, Private, 40, Male, <=50K, 7");
    assertThatThrownBy(() -> ingest(EXTRA_COLUMN, sixFields, Map.of()).run())
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Cannot write to table sluice.tiny_raw: its schema")
        .hasMessageContaining("set sluice.ingest.schema-evolution = true");
    // A column changed type.
    Path asString = write("string.csv", "41, Private, forty, Male, <=50K");
    assertThatThrownBy(() -> ingest(HOURS_AS_STRING, asString, Map.of()).run())
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Cannot write to table sluice.tiny_raw: its schema")
        .hasMessageContaining("hours");
    Map<String, Object> afterDrift = state();
    afterDrift.remove("job_runs");
    assertThat(afterDrift).isEqualTo(expected);
    assertThat(
            spark
                .read()
                .format("delta")
                .load(dir.resolve("lake/job_runs").toString())
                .where("status = 'FAILED'")
                .count())
        .isEqualTo(3);

    // Evolution enabled explicitly: the new column is added, old rows read it as null.
    ingest(EXTRA_COLUMN, sixFields, Map.of("sluice.ingest.schema-evolution", "true")).run();
    Dataset<Row> evolved =
        spark.read().format("delta").load(dir.resolve("lake/tiny_raw").toString());
    assertThat(evolved.columns()).contains("tenure");
    assertThat(evolved.count()).isEqualTo(3);
    assertThat(Fingerprint.of(evolved.where("tenure IS NULL"), DATA)).isEqualTo(before);
    assertThat(evolved.where("tenure = 7 AND age = 41").count()).isEqualTo(1);
  }
}
