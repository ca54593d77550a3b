package dev.sluice.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingests the shipped UCI Adult files through the real scripts/spark-submit wrapper on local[2].
 */
class AdultPipelineIT extends SparkTestBase {
  private static final Path HOME =
      Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();

  @TempDir Path dir;

  record Process(int exitCode, String stdout, String stderr) {}

  private Process submit(String... args) throws IOException, InterruptedException {
    return submitJob("ingest", args);
  }

  private Process submitJob(String job, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(HOME.resolve("scripts/spark-submit").toString());
    command.add(job);
    command.addAll(
        List.of("--config", "conf/application.conf", "--config", "conf/datasets/adult.conf"));
    command.addAll(List.of("--set", "sluice.lakehouse.root=" + dir.resolve("lake")));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    java.lang.Process process =
        new ProcessBuilder(command)
            .directory(HOME.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("spark-submit finished").isTrue();
    return new Process(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private List<Row> sql(String query) {
    return spark.sql(query.replace("{lake}", dir.resolve("lake").toString())).collectAsList();
  }

  @Test
  void adultThroughIngestFeaturesAndTrain() throws Exception {
    Process train = submit("--source", "train");
    assertThat(train.exitCode()).as(train.stderr()).isZero();
    assertThat(train.stdout()).contains("accepted       32,561").contains("quarantined    0");
    Process test = submit("--source", "test");
    assertThat(test.exitCode()).as(test.stderr()).isZero();
    assertThat(test.stdout())
        .contains("accepted       16,281")
        .contains("skipped        2  (blank 1, comment 1)");

    assertThat(
            sql(
                "SELECT source, regexp_replace(income, '\\\\.$', '') AS label, count(*) FROM delta.`{lake}/adult_raw`"
                    + " GROUP BY 1, 2 ORDER BY 1, 2"))
        .extracting(Row::toString)
        .containsExactly(
            "[test,<=50K,12435]", "[test,>50K,3846]", "[train,<=50K,24720]", "[train,>50K,7841]");
    // Nothing to quarantine in either file: the quarantine table exists from the first batch,
    // empty.
    assertThat(sql("SELECT count(*) FROM delta.`{lake}/quarantine`"))
        .extracting(Row::toString)
        .containsExactly("[0]");
    assertThat(
            sql(
                "SELECT p.column_name, p.null_count, r.source FROM delta.`{lake}/data_profiles` p"
                    + " JOIN (SELECT DISTINCT batch_id, source FROM delta.`{lake}/adult_raw`) r USING (batch_id)"
                    + " WHERE p.null_count > 0 ORDER BY r.source DESC, p.column_name"))
        .extracting(Row::toString)
        .containsExactly(
            "[native-country,583,train]",
            "[occupation,1843,train]",
            "[workclass,1836,train]",
            "[native-country,274,test]",
            "[occupation,966,test]",
            "[workclass,963,test]");
    assertThat(
            sql("SELECT count(DISTINCT row_id), count(*) FROM delta.`{lake}/adult_raw`")
                .get(0)
                .toString())
        .isEqualTo("[48842,48842]");

    Process again = submit("--source", "train");
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout()).contains("already ingested");
    assertThat(sql("SELECT count(*) FROM delta.`{lake}/adult_raw`").get(0).getLong(0))
        .isEqualTo(48842);
    assertThat(
            sql(
                "SELECT job, status, rows_in, rows_out FROM delta.`{lake}/job_runs` ORDER BY started_at"))
        .extracting(Row::toString)
        .containsExactly(
            "[ingest,SUCCEEDED,32562,32561]",
            "[ingest,SUCCEEDED,16283,16281]",
            "[ingest,SKIPPED,0,0]");
  }

  @Test
  void badSettingsFailBeforeSparkStartsWithTheKeyNamed() throws Exception {
    Process unknown = submit("--source", "train", "--set", "sluice.ingest.quarantine.max-rat=0.1");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr())
        .contains("Unknown setting 'sluice.ingest.quarantine.max-rat'")
        .doesNotContain("SparkContext");
    Process negative = submit("--source", "train", "--set", "sluice.ingest.quarantine.max-rate=-1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.stderr()).contains("Invalid setting 'sluice.ingest.quarantine.max-rate'");
    Process missing = submit("--config", "conf/datasets/nope.conf");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("Cannot read settings file 'conf/datasets/nope.conf'");
    assertThat(Files.exists(dir.resolve("lake"))).isFalse();
  }
}
