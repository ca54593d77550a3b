package dev.sluice.jobs.maintain;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.MaintainSettings;
import dev.sluice.common.table.ModelRegistryTable;
import io.delta.tables.DeltaTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * Table upkeep: each table's small files compacted (Delta's OPTIMIZE, no data change), then
 * vacuumed of the files no version within the retention reads. A table version a registered model
 * was trained from (its snapshot version, its raw version) stays readable whatever the retention,
 * so {@code reproduce} and the gate can always read it: that table's vacuum keeps every file
 * removed after the oldest such version was committed (in whole hours, as Delta's vacuum counts its
 * retention, rounded up).
 */
public final class MaintainJob {
  static final String JOB = "maintain";

  /** Delta's own check that refuses a retention under its default (a week). */
  private static final String RETENTION_CHECK =
      "spark.databricks.delta.retentionDurationCheck.enabled";

  private static final double DELTA_DEFAULT_RETENTION_HOURS = 168;

  /**
   * The number of Spark tasks Delta's vacuum lists a table's folders in: Spark's default (10,000)
   * costs a small cluster more than the listing itself (45 s per table on 2 cores). Unless the
   * session sets it, a vacuum uses the session's default parallelism.
   */
  private static final String LISTING_PARALLELISM =
      "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  private final MaintainSettings settings;
  private final Lakehouse lakehouse;
  private final Steps steps;

  /** One table's upkeep: the retention its vacuum used, and why. */
  public record Kept(String table, double retentionHours, OptionalLong protectedVersion) {}

  /** What a run did, table by table. */
  public record MaintainResult(List<Kept> tables, double seconds) implements JobResult {
    public MaintainResult {
      tables = List.copyOf(tables);
    }

    @Override
    public String summary() {
      return "== sluice maintain: "
          + tables.size()
          + " tables ==\n"
          + tables.stream()
              .map(
                  kept ->
                      String.format(
                          "%-28s vacuum retention %.2f h%s%n",
                          kept.table(),
                          kept.retentionHours(),
                          kept.protectedVersion().isPresent()
                              ? " (keeps v"
                                  + kept.protectedVersion().getAsLong()
                                  + ", the oldest a registered model refers to)"
                              : ""))
              .collect(Collectors.joining())
          + String.format("time           %.1f s%n", seconds);
    }
  }

  public MaintainJob(SparkSession spark, MaintainSettings settings) {
    this(JobSession.of(spark), settings);
  }

  public MaintainJob(JobSession session, MaintainSettings settings) {
    requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.lakehouse = new Lakehouse(session, settings.lakehouse());
    this.steps = new Steps(session, JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        MaintainSettings::load,
        (session, settings) -> new MaintainJob(session, settings).run());
  }

  public MaintainResult run() {
    return JobRun.record(
        lakehouse, JOB, null, settings.settingsHash(), this::execute, result -> false);
  }

  private MaintainResult execute(JobRun run) {
    long started = System.nanoTime();
    Map<String, Long> referenced = oldestReferencedVersions();
    List<Kept> kept = new ArrayList<>();
    for (String table : tables()) {
      DeltaTable delta = DeltaTable.forPath(lakehouse.spark(), lakehouse.path(table));
      if (settings.compact()) {
        steps.run(
            "compact " + table,
            () -> {
              delta.optimize().executeCompaction();
            });
      }
      OptionalLong protectedVersion =
          referenced.containsKey(table)
              ? OptionalLong.of(referenced.get(table))
              : OptionalLong.empty();
      double hours = retentionHours(table, protectedVersion);
      steps.run("vacuum " + table, () -> vacuum(delta, hours));
      lakehouse.version(table).ifPresent(v -> run.output(table, v));
      kept.add(new Kept(table, hours, protectedVersion));
    }
    run.detail(
        "retention_hours",
        kept.stream().collect(Collectors.toMap(Kept::table, Kept::retentionHours)));
    return new MaintainResult(kept, (System.nanoTime() - started) / 1e9);
  }

  /** The tables to keep up: the ones named, or every table of the lakehouse. */
  private List<String> tables() {
    List<String> all = lakehouse.tables();
    for (String table : settings.tables()) {
      if (!all.contains(table)) {
        throw Errors.badSetting(
            MaintainSettings.PATH + ".tables",
            "'" + table + "' is not a table of the lakehouse " + settings.lakehouse().root(),
            "Use some of " + all + ", or leave it empty for every table.");
      }
    }
    return settings.tables().isEmpty() ? all : settings.tables();
  }

  /**
   * Per table, the oldest version a registered model was trained from: its snapshot version, and
   * the raw version that snapshot was built from. The registry is small: read on the driver.
   */
  private Map<String, Long> oldestReferencedVersions() {
    Map<String, Long> oldest = new TreeMap<>();
    for (ModelVersion version :
        lakehouse.rows(ModelRegistryTable.NAME).stream().map(ModelVersion::from).toList()) {
      oldest.merge(version.snapshotTable(), version.snapshotVersion(), Math::min);
      version.rawVersion().ifPresent(raw -> oldest.merge(version.rawTable(), raw, Math::min));
    }
    return oldest;
  }

  /**
   * The retention of a table's vacuum: the setting's, or longer for a protected version: back to
   * when it was committed, so every file removed after it (and only those could it need) stays.
   */
  private double retentionHours(String table, OptionalLong protectedVersion) {
    if (protectedVersion.isEmpty()) {
      return settings.retentionHours();
    }
    Instant committed = lakehouse.log().commitTime(table, protectedVersion.getAsLong());
    // Delta's vacuum rounds its retention to whole hours: rounded up here, never down.
    double since = Math.ceil(Duration.between(committed, Instant.now()).toMillis() / 3_600_000.0);
    return Math.max(settings.retentionHours(), since);
  }

  private void vacuum(DeltaTable delta, double hours) {
    SparkSession spark = lakehouse.spark();
    boolean shorter = hours < DELTA_DEFAULT_RETENTION_HOURS;
    boolean listingSet = spark.conf().contains(LISTING_PARALLELISM);
    String before = spark.conf().get(RETENTION_CHECK, "true");
    if (shorter) {
      spark.conf().set(RETENTION_CHECK, "false");
    }
    if (!listingSet) {
      spark.conf().set(LISTING_PARALLELISM, spark.sparkContext().defaultParallelism());
    }
    try {
      delta.vacuum(hours);
    } finally {
      if (shorter) {
        spark.conf().set(RETENTION_CHECK, before);
      }
      if (!listingSet) {
        spark.conf().unset(LISTING_PARALLELISM);
      }
    }
  }
}
