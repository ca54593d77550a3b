package dev.sluice.common.engine;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * A job's Spark session, started on first use. A run that finds nothing to do (its batch ingested,
 * its snapshot built, its model registered) decides that from the tables' logs through Delta Kernel
 * and records itself the same way, so it never pays for starting and stopping Spark.
 *
 * <p>Until the session starts, the Spark properties are those {@code spark-submit} passed to the
 * JVM ({@link SparkConf} reads them from the system properties), and the Hadoop configuration is
 * built from them as Spark builds its own: Hadoop's defaults and site files, then every {@code
 * spark.hadoop.*} property with the prefix removed.
 */
public final class JobSession {
  private static final String HADOOP_PREFIX = "spark.hadoop.";

  private final Supplier<SparkSession> starter;
  private final List<Consumer<SparkSession>> onStart = new ArrayList<>();
  private SparkSession spark;
  private SparkConf conf;
  private Configuration hadoopConfiguration;

  private JobSession(Supplier<SparkSession> starter, SparkSession spark, SparkConf conf) {
    this.starter = starter;
    this.spark = spark;
    this.conf = conf;
  }

  /** A session that is already running (a test's, a notebook's). */
  public static JobSession of(SparkSession spark) {
    return new JobSession(null, requireNonNull(spark, "spark is null"), null);
  }

  /**
   * A session that {@code starter} starts when a step first needs Spark; until then the Spark
   * properties are those given to the JVM.
   */
  public static JobSession onFirstUse(Supplier<SparkSession> starter) {
    return onFirstUse(new SparkConf(), starter);
  }

  /** {@link #onFirstUse(Supplier)} with the Spark properties given. */
  public static JobSession onFirstUse(SparkConf properties, Supplier<SparkSession> starter) {
    return new JobSession(
        requireNonNull(starter, "starter is null"),
        null,
        requireNonNull(properties, "properties is null"));
  }

  /** The session, started now if it has not been. */
  public synchronized SparkSession spark() {
    if (spark == null) {
      spark = requireNonNull(starter.get(), "the starter returned no session");
      onStart.forEach(action -> action.accept(spark));
      onStart.clear();
    }
    return spark;
  }

  public synchronized boolean started() {
    return spark != null;
  }

  /** Runs {@code action} on the session now if it runs, else when it starts. */
  public synchronized void whenStarted(Consumer<SparkSession> action) {
    if (spark != null) {
      action.accept(spark);
    } else {
      onStart.add(action);
    }
  }

  /** The Spark properties: the session's once it runs, else those given to the JVM. */
  public synchronized SparkConf conf() {
    if (spark != null) {
      return spark.sparkContext().getConf();
    }
    return conf;
  }

  /**
   * The Hadoop configuration: the session's when it ran from the start, else one built from the
   * Spark properties (kept after the session starts, so what was read with it stays consistent).
   */
  public synchronized Configuration hadoopConfiguration() {
    if (hadoopConfiguration == null) {
      hadoopConfiguration =
          spark != null ? spark.sparkContext().hadoopConfiguration() : fromProperties(conf());
    }
    return hadoopConfiguration;
  }

  /** Stops the session if it was started. */
  public synchronized void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** Hadoop's configuration with every {@code spark.hadoop.*} property applied, as Spark does. */
  static Configuration fromProperties(SparkConf properties) {
    Configuration hadoop = new Configuration();
    for (Tuple2<String, String> property : properties.getAll()) {
      if (property._1().startsWith(HADOOP_PREFIX)) {
        hadoop.set(property._1().substring(HADOOP_PREFIX.length()), property._2());
      }
    }
    return hadoop;
  }
}
