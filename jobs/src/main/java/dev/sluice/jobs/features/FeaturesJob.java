package dev.sluice.jobs.features;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.engine.internal.ObservedMetrics;
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

  private final FeaturesSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Steps steps;

  public FeaturesJob(SparkSession spark, FeaturesSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /** The job with a session that starts when a step first needs Spark. */
  public FeaturesJob(JobSession session, FeaturesSettings settings) {
    requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(session, settings.lakehouse());
    this.steps = new Steps(session, JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        FeaturesSettings::load,
        (session, settings) -> new FeaturesJob(session, settings).run());
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
            .orElseThrow(() -> Errors.noRawTable(spec.name(), lakehouse.qualifiedName(rawTable)));
    long rawVersion = settings.asOfVersion().orElse(latest);
    if (rawVersion > latest) {
      throw Errors.rawVersionAhead(lakehouse.qualifiedName(rawTable), rawVersion, latest);
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
    Optional<String> previous = lakehouse.log().latestTag(snapshotTable);
    if (previous.isPresent() && previous.get().equals(key)) {
      long version = lakehouse.version(snapshotTable).getAsLong();
      run.output(snapshotTable, version)
          .detail("skip_reason", "snapshot already built from " + key);
      // The build's commit carries its counts; a snapshot written before it did is counted.
      Map<String, Long> counts =
          countsOf(lakehouse.log().commitTags(snapshotTable, version))
              .orElseGet(() -> splitCounts(lakehouse.readVersion(snapshotTable, version)));
      return new FeaturesResult(
          spec.name(),
          lakehouse.qualifiedName(snapshotTable),
          rawVersion,
          version,
          settings.features().hash(),
          true,
          counts,
          seconds(started));
    }

    Dataset<Row> snapshot =
        Snapshots.project(
            Snapshots.withSplit(
                Snapshots.labelled(
                    Snapshots.withTarget(lakehouse.readVersion(rawTable, rawVersion), spec)),
                settings.split()),
            spec);
    // The write counts its rows by split as it goes (Dataset.observe), and its commit records the
    // counts: no pass over the snapshot to count them, now or in a later run that finds it built.
    long version;
    Map<String, Long> counts;
    try (ObservedMetrics splits = ObservedMetrics.start(lakehouse.spark())) {
      Dataset<Row> observed =
          splits.observe(
              snapshot,
              FeaturesSettings.SPLITS.stream()
                  .map(split -> count_if(col(Columns.SPLIT).equalTo(split)).as(split))
                  .toList());
      version =
          steps.run(
              "write snapshot",
              () ->
                  lakehouse.overwrite(
                      observed,
                      snapshotTable,
                      key,
                      "Training snapshot of data set '"
                          + spec.name()
                          + "': typed rows with target and split; one version per build.",
                      () -> observedCounts(splits).map(FeaturesJob::tagsOf).orElse(Map.of())));
      long built = version;
      counts =
          observedCounts(splits)
              .orElseGet(
                  () ->
                      steps.run(
                          "count splits",
                          () -> splitCounts(lakehouse.readVersion(snapshotTable, built))));
    }
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

  /** The commit tag prefix of a snapshot's row count by split; {@code <prefix>total} is the sum. */
  static final String ROWS_TAG = "sluice.rows.";

  /** How long to wait for the write's observed counts (see {@link ObservedMetrics#await}). */
  private static final long OBSERVED_WAIT_SECONDS = 60;

  /**
   * The observed rows by split, without the splits that got none (as a grouped count has it); empty
   * when they did not arrive in time, and the caller counts the snapshot instead.
   */
  private static Optional<Map<String, Long>> observedCounts(ObservedMetrics splits) {
    Optional<Row> observed = splits.await(OBSERVED_WAIT_SECONDS);
    if (observed.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Long> counts = new TreeMap<>();
    for (String split : observed.get().schema().fieldNames()) {
      long count = observed.get().getLong(observed.get().fieldIndex(split));
      if (count > 0) {
        counts.put(split, count);
      }
    }
    return Optional.of(counts);
  }

  private static Map<String, String> tagsOf(Map<String, Long> counts) {
    Map<String, String> tags = new TreeMap<>();
    counts.forEach((split, count) -> tags.put(ROWS_TAG + split, Long.toString(count)));
    tags.put(
        ROWS_TAG + "total",
        Long.toString(counts.values().stream().mapToLong(Long::longValue).sum()));
    return tags;
  }

  /** The counts a snapshot's commit recorded, if it recorded them. */
  private static Optional<Map<String, Long>> countsOf(Map<String, String> tags) {
    if (!tags.containsKey(ROWS_TAG + "total")) {
      return Optional.empty();
    }
    Map<String, Long> counts = new TreeMap<>();
    tags.forEach(
        (name, value) -> {
          if (name.startsWith(ROWS_TAG) && !name.equals(ROWS_TAG + "total")) {
            counts.put(name.substring(ROWS_TAG.length()), Long.parseLong(value));
          }
        });
    return Optional.of(counts);
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
