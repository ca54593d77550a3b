package dev.sluice.jobs.features;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
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
      throw Errors.versionAhead(
          lakehouse.qualifiedName(rawTable), rawVersion, latest, "--as-of-version");
    }
    String labelsTable = Tables.labels(spec.name());
    OptionalLong labelsVersion = labelsVersion(labelsTable);
    // The snapshot is a function of these: the same key means the latest snapshot is already this
    // one.
    String key =
        "raw="
            + rawVersion
            + (labelsVersion.isPresent() ? ";labels=" + labelsVersion.getAsLong() : "")
            + ";spec="
            + settings.features().hash()
            + ";snapshot="
            + settings.snapshotHash();
    run.input(rawTable, rawVersion)
        .detail("feature_spec_hash", settings.features().hash())
        .detail("training_window", settings.window().describe())
        .detail("build_key", key);
    labelsVersion.ifPresent(v -> run.input(labelsTable, v));
    Optional<String> previous = lakehouse.log().latestTag(snapshotTable);
    if (previous.isPresent() && previous.get().equals(key)) {
      long version = lakehouse.version(snapshotTable).getAsLong();
      run.output(snapshotTable, version)
          .detail("skip_reason", "snapshot already built from " + key);
      // The build's commit carries its counts; a snapshot written before it did is counted.
      Map<String, String> tags = lakehouse.log().commitTags(snapshotTable, version);
      Map<String, Long> counts =
          SnapshotCounts.countsOf(tags)
              .orElseGet(
                  () -> SnapshotCounts.splitCounts(lakehouse.readVersion(snapshotTable, version)));
      return new FeaturesResult(
          spec.name(),
          lakehouse.qualifiedName(snapshotTable),
          rawVersion,
          labelsVersion,
          Long.parseLong(tags.getOrDefault(SnapshotCounts.LATE_ROWS_TAG, "0")),
          version,
          settings.features().hash(),
          true,
          counts,
          seconds(started));
    }

    Built built = build(run, rawVersion, labelsVersion, key);
    long total = built.counts().values().stream().mapToLong(Long::longValue).sum();
    run.output(snapshotTable, built.version())
        .rows(total, total)
        .detail("rows_by_split", built.counts())
        .detail("late_labelled_rows", built.lateRows());
    return new FeaturesResult(
        spec.name(),
        lakehouse.qualifiedName(snapshotTable),
        rawVersion,
        labelsVersion,
        built.lateRows(),
        built.version(),
        settings.features().hash(),
        false,
        built.counts(),
        seconds(started));
  }

  /** A snapshot just written: its version, rows by split, and rows labelled late. */
  private record Built(long version, Map<String, Long> counts, long lateRows) {}

  /**
   * Writes the snapshot: the raw rows in the training window, with delayed labels joined, the
   * labelled ones, split. The write counts its rows by split and the late-labelled ones as it goes
   * (Dataset.observe), and its commit records the counts: no pass over the snapshot to count them,
   * now or in a later run that finds it built.
   */
  private Built build(JobRun run, long rawVersion, OptionalLong labelsVersion, String key) {
    String snapshotTable = Tables.snapshot(spec.name());
    Dataset<Row> labels = null;
    Map<String, String> tags = new TreeMap<>();
    if (labelsVersion.isPresent()) {
      labels =
          Snapshots.latestLabels(
                  lakehouse.readVersion(Tables.labels(spec.name()), labelsVersion.getAsLong()),
                  spec)
              .cache();
      Dataset<Row> latest = labels;
      // Row ids whose labels files disagree: the latest label wins, and the count is reported.
      run.detail(
          "label_conflicts",
          steps.run(
              "count label conflicts",
              () -> latest.where(col(Snapshots.LABEL_VALUES).gt(1)).count()));
      tags.put(SnapshotCounts.LABELS_VERSION_TAG, Long.toString(labelsVersion.getAsLong()));
    }
    Dataset<Row> rows =
        Snapshots.withSplit(
            Snapshots.knownLabels(
                Snapshots.inWindow(
                    lakehouse.readVersion(Tables.raw(spec.name()), rawVersion), settings.window()),
                Optional.ofNullable(labels),
                spec),
            settings.split());
    List<Column> metrics = new ArrayList<>();
    FeaturesSettings.SPLITS.forEach(
        split -> metrics.add(count_if(col(Columns.SPLIT).equalTo(split)).as(split)));
    metrics.add(
        count_if(labels == null ? lit(false) : col(Snapshots.LATE_LABEL))
            .as(SnapshotCounts.LATE_ROWS_TAG));
    try (ObservedMetrics observed = ObservedMetrics.start(lakehouse.spark())) {
      Dataset<Row> snapshot = Snapshots.project(observed.observe(rows, metrics), spec);
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
                          + "': typed rows with target and split; one version per build.",
                      () -> {
                        SnapshotCounts.observedCounts(observed)
                            .ifPresent(counts -> tags.putAll(SnapshotCounts.tagsOf(counts)));
                        SnapshotCounts.observedLate(observed)
                            .ifPresent(
                                late ->
                                    tags.put(SnapshotCounts.LATE_ROWS_TAG, Long.toString(late)));
                        return tags;
                      }));
      Map<String, Long> counts =
          SnapshotCounts.observedCounts(observed)
              .orElseGet(
                  () ->
                      steps.run(
                          "count splits",
                          () ->
                              SnapshotCounts.splitCounts(
                                  lakehouse.readVersion(snapshotTable, version))));
      long late =
          SnapshotCounts.observedLate(observed)
              .orElseGet(
                  () ->
                      Long.parseLong(
                          lakehouse
                              .log()
                              .commitTags(snapshotTable, version)
                              .getOrDefault(SnapshotCounts.LATE_ROWS_TAG, "0")));
      return new Built(version, counts, late);
    } finally {
      if (labels != null) {
        labels.unpersist();
      }
    }
  }

  /**
   * The labels table version whose delayed labels join the raw rows: the pinned one, or the latest
   * once a labels batch has landed; empty when there are none to join.
   */
  private OptionalLong labelsVersion(String labelsTable) {
    if (settings.labelsVersion().isEmpty()) {
      return lakehouse.hasData(labelsTable) ? lakehouse.version(labelsTable) : OptionalLong.empty();
    }
    long pinned = settings.labelsVersion().getAsLong();
    long latest = lakehouse.version(labelsTable).orElse(-1);
    if (pinned > latest) {
      throw Errors.versionAhead(
          lakehouse.qualifiedName(labelsTable), pinned, latest, "--labels-version");
    }
    return settings.labelsVersion();
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
