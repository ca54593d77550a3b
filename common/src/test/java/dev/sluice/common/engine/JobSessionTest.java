package dev.sluice.common.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class JobSessionTest extends SparkTestBase {
  @Test
  void aSessionStartsOnFirstUseOnceAndRunsWhatWaitedForIt() {
    List<String> events = new ArrayList<>();
    JobSession session =
        JobSession.onFirstUse(
            new SparkConf().set("spark.master", "local[3]"),
            () -> {
              events.add("start");
              return spark;
            });
    session.whenStarted(started -> events.add("listener"));
    assertThat(session.started()).isFalse();
    assertThat(session.conf().get("spark.master")).isEqualTo("local[3]");
    assertThat(events).isEmpty();

    assertThat(session.spark()).isSameAs(spark);
    assertThat(session.spark()).isSameAs(spark);
    session.whenStarted(started -> events.add("late"));

    assertThat(session.started()).isTrue();
    assertThat(events).containsExactly("start", "listener", "late");
  }

  @Test
  void theHadoopConfigurationBeforeTheSessionCarriesTheSparkHadoopProperties() {
    SparkConf properties =
        new SparkConf()
            .set("spark.hadoop.fs.permissions.umask-mode", "077")
            .set("spark.hadoop.io.file.buffer.size", "131072")
            .set("spark.sql.shuffle.partitions", "16");
    JobSession session =
        JobSession.onFirstUse(
            properties,
            () -> {
              throw new AssertionError("started");
            });

    assertThat(session.hadoopConfiguration().get("fs.permissions.umask-mode")).isEqualTo("077");
    assertThat(session.hadoopConfiguration().get("io.file.buffer.size")).isEqualTo("131072");
    assertThat(session.hadoopConfiguration().get("spark.sql.shuffle.partitions")).isNull();
    assertThat(session.hadoopConfiguration()).isSameAs(session.hadoopConfiguration());
    assertThat(session.started()).isFalse();
    session.stop();
  }

  @Test
  void aRunningSessionIsUsedAsItIs() {
    JobSession session = JobSession.of(spark);
    assertThat(session.started()).isTrue();
    assertThat(session.hadoopConfiguration()).isSameAs(spark.sparkContext().hadoopConfiguration());
    assertThat(session.conf().get("spark.app.id")).isEqualTo(spark.sparkContext().applicationId());
  }
}
