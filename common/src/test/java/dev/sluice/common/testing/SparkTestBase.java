package dev.sluice.common.testing;

import dev.sluice.common.Sessions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;

/**
 * The one Spark fixture: a real local session, {@code local[2]}, UI off, 2 shuffle partitions, no
 * code generation, loopback host, Delta configured. One session serves every test class of a JVM: a
 * session costs 5 to 7 seconds to start, and the tests isolate themselves by writing under their
 * own {@code @TempDir}.
 */
public abstract class SparkTestBase {
  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = session();
  }

  public static synchronized SparkSession session() {
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("sluice-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.ui.showConsoleProgress", "false")
            // Tiny inputs: interpreting a plan costs less than compiling it, as in Spark's own
            // tests.
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    Sessions.DELTA.forEach(builder::config);
    return builder.getOrCreate();
  }
}
