package dev.sluice.jobs.bench;

import dev.sluice.common.Sessions;
import org.apache.spark.sql.SparkSession;

/**
 * The floor Sluice's ingest is measured against: Spark's own CSV reader straight into a Delta
 * table, no validation, quarantine, profile or ledger. Usage: {@code BareIngest <file> <delimiter>
 * <table path>}
 */
public final class BareIngest {
  private BareIngest() {}

  public static void main(String[] args) throws java.io.IOException {
    try (SparkSession spark = Sessions.forJob("bare-ingest")) {
      long start = System.nanoTime();
      spark
          .read()
          .option("sep", args[1])
          .csv(args[0])
          .write()
          .format("delta")
          .mode("append")
          .save(args[2]);
      double seconds = (System.nanoTime() - start) / 1e9;
      long rows = spark.read().format("delta").load(args[2]).count();
      System.out.printf(
          "bare ingest: %d rows in %.1f s (%.0f rows/s)%n", rows, seconds, rows / seconds);
    }
  }
}
