package dev.sluice.common;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the SparkSession of a job. The master is never set here: spark-submit or the test fixture
 * supplies it.
 */
public final class Sessions {
  private Sessions() {}

  /**
   * The settings every Sluice session needs for Delta, whatever launched it. Delta's checksum file
   * lists a table's writers' transactions only up to 100 of them by default; beyond, finding one
   * (is this batch ingested? this input scored?) replays the table's log, seconds per lookup. A
   * table that gets a writer per batch or scoring run passes 100 within months on a daily schedule,
   * so the checksum keeps listing up to 10,000 (about 1 MB of JSON per commit at the limit).
   */
  public static final Map<String, String> DELTA =
      Map.of(
          "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
          "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
          "spark.databricks.delta.setTransactionsInCrc.maxAllowed", "10000");

  public static SparkSession forJob(String job) {
    SparkSession.Builder builder = SparkSession.builder().appName("sluice-" + job);
    DELTA.forEach(builder::config);
    return builder.getOrCreate();
  }
}
