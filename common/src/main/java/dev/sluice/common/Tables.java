package dev.sluice.common;

/**
 * Names of the tables Sluice writes, each addressed as {@code <database>.<name>} under the
 * lakehouse root.
 */
public final class Tables {
  private Tables() {}

  public static final String RAW_SUFFIX = "_raw";
  public static final String QUARANTINE = "quarantine";
  public static final String DATA_PROFILES = "data_profiles";
  public static final String JOB_RUNS = "job_runs";

  /** The raw table of a data set: accepted rows of every ingested batch. */
  public static String raw(String dataset) {
    return dataset + RAW_SUFFIX;
  }
}
