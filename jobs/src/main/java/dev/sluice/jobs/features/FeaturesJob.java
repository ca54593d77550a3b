package dev.sluice.jobs.features;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.FeaturesSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Builds a data set's training snapshot from its raw table at a pinned version: typed rows with the
 * normalised target and a deterministic split, written as a new version of {@code
 * <dataset>_snapshot}. A run on the same raw version with the same settings writes nothing.
 */
public final class FeaturesJob {
  static final String JOB = "features";

  private final SparkSession spark;
  private final FeaturesSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Steps steps;

  public FeaturesJob(SparkSession spark, FeaturesSettings settings) {
    this.spark = requireNonNull(spark, "spark is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(spark, settings.lakehouse());
    this.steps = new Steps(spark.sparkContext(), JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        FeaturesSettings::load,
        (spark, settings) -> new FeaturesJob(spark, settings).run());
  }

  public FeaturesResult run() {
    return JobRun.record(
        lakehouse,
        JOB,
        spec.name(),
        settings.settingsHash(),
        this::execute,
        FeaturesResult::unchanged);
  }

  private FeaturesResult execute(JobRun run) {
    long started = System.nanoTime();
    String rawTable = Tables.raw(spec.name());
    String snapshotTable = Tables.snapshot(spec.name());
    long latest =
        lakehouse
            .version(rawTable)
            .orElseThrow(
                () ->
                    Errors.data(
                        "Cannot build features for data set '"
                            + spec.name()
                            + "': its raw table "
                            + lakehouse.qualifiedName(rawTable)
                            + " does not exist. Run ingest first."));
    long rawVersion = settings.asOfVersion().orElse(latest);
    if (rawVersion > latest) {
      throw Errors.data(
          "Cannot build features from "
              + lakehouse.qualifiedName(rawTable)
              + " version "
              + rawVersion
              + ": the latest version is "
              + latest
              + ". Pass --as-of-version "
              + latest
              + " or less.");
    }
    // The snapshot is a function of these: the same key means the latest snapshot is already this
    // one.
    String key =
        "raw="
            + rawVersion
            + ";spec="
            + settings.features().hash()
            + ";snapshot="
            + settings.snapshotHash();
    run.input(rawTable, rawVersion)
        .detail("feature_spec_hash", settings.features().hash())
        .detail("build_key", key);
    Optional<String> previous = lakehouse.latestTag(snapshotTable);
    if (previous.isPresent() && previous.get().equals(key)) {
      long version = lakehouse.version(snapshotTable).getAsLong();
      run.output(snapshotTable, version)
          .detail("skip_reason", "snapshot already built from " + key);
      return new FeaturesResult(
          spec.name(),
          lakehouse.qualifiedName(snapshotTable),
          rawVersion,
          version,
          settings.features().hash(),
          true,
          splitCounts(lakehouse.readVersion(snapshotTable, version)),
          seconds(started));
    }

    Dataset<Row> snapshot =
        Snapshots.project(
            Snapshots.withSplit(
                Snapshots.labelled(
                    Snapshots.withTarget(lakehouse.readVersion(rawTable, rawVersion), spec)),
                settings.split()),
            spec);
    long version =
        steps.run(
            "write snapshot",
            () ->
                lakehouse.overwrite(
                    snapshot,
                    snapshotTable,
                    key,
                    "Training snapshot of data set '"
                        + spec.name()
                        + "': typed rows with target and split; one version per build."));
    Map<String, Long> counts =
        steps.run("count splits", () -> splitCounts(lakehouse.readVersion(snapshotTable, version)));
    long rows = counts.values().stream().mapToLong(Long::longValue).sum();
    run.output(snapshotTable, version).rows(rows, rows).detail("rows_by_split", counts);
    return new FeaturesResult(
        spec.name(),
        lakehouse.qualifiedName(snapshotTable),
        rawVersion,
        version,
        settings.features().hash(),
        false,
        counts,
        seconds(started));
  }

  private static Map<String, Long> splitCounts(Dataset<Row> snapshot) {
    Map<String, Long> counts = new TreeMap<>();
    List<Row> rows = snapshot.groupBy(col(Columns.SPLIT)).count().collectAsList();
    rows.forEach(row -> counts.put(row.getString(0), row.getLong(1)));
    return counts;
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
