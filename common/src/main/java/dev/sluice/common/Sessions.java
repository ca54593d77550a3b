package dev.sluice.common;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.SparkConf;
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

  /**
   * A properties file on the driver's host that holds {@code spark.authenticate.secret}: how a
   * driver a standalone cluster launched ({@code --deploy-mode cluster}) gets the cluster's shared
   * secret. Spark hands such a driver neither the secret nor a secret file, yet requires the secret
   * in its configuration; a file keeps it off every command line and log.
   */
  public static final String SECRET_FILE = "spark.sluice.authenticate.secretFile";

  private static final String AUTHENTICATE = "spark.authenticate";
  private static final String SECRET = "spark.authenticate.secret";

  public static SparkSession forJob(String job) {
    SparkSession.Builder builder = SparkSession.builder().appName("sluice-" + job);
    DELTA.forEach(builder::config);
    clusterSecret(new SparkConf()).ifPresent(secret -> builder.config(SECRET, secret));
    return builder.getOrCreate();
  }

  /**
   * The secret to add to the configuration: read from {@link #SECRET_FILE} when authentication is
   * on and the configuration has no secret; empty otherwise.
   */
  static Optional<String> clusterSecret(SparkConf conf) {
    if (!conf.getBoolean(AUTHENTICATE, false)
        || conf.contains(SECRET)
        || !conf.contains(SECRET_FILE)) {
      return Optional.empty();
    }
    Path file = Path.of(conf.get(SECRET_FILE));
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw Errors.settings(
          "Cannot read the cluster's secret from "
              + file
              + " ("
              + SECRET_FILE
              + "): "
              + e.getMessage()
              + ". The file must exist on the driver's host and be readable by its user.",
          e);
    }
    String secret = properties.getProperty(SECRET, "").strip();
    if (secret.isEmpty()) {
      throw Errors.settings(
          file + " (" + SECRET_FILE + ") has no " + SECRET + ". Write the cluster's secret there.",
          null);
    }
    return Optional.of(secret);
  }
}
