package dev.sluice.common;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the SparkSession of a job. The master is never set here: spark-submit or the test fixture
 * supplies it.
 */
public final class Sessions {
  private Sessions() {}

  /** The settings every Sluice session needs for Delta, whatever launched it. */
  public static final Map<String, String> DELTA =
      Map.of(
          "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
          "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");

  public static SparkSession forJob(String job) {
    SparkSession.Builder builder = SparkSession.builder().appName("sluice-" + job);
    DELTA.forEach(builder::config);
    return builder.getOrCreate();
  }
}
