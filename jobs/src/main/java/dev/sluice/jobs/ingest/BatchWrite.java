package dev.sluice.jobs.ingest;

import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.PendingAppend;
import dev.sluice.common.parse.BatchFiles;
import dev.sluice.common.parse.BatchParser;
import dev.sluice.common.parse.LineKindCounts;
import dev.sluice.common.parse.SourceLines;
import dev.sluice.common.quality.ColumnProfiles;
import dev.sluice.common.quality.ProfileAccumulator;
import dev.sluice.common.quality.Profiler;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.table.DataProfilesTable;
import dev.sluice.common.table.LakehouseTables;
import dev.sluice.common.table.QuarantineTable;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes one checked batch: its accepted rows to the raw table, its quarantined rows with their
 * reasons to {@code quarantine}, then its profile to {@code data_profiles}, each an idempotent
 * transaction keyed by the batch. A batch above the quarantine limit writes nothing.
 */
final class BatchWrite {
  /** What the write did: the lines' counts and the versions it committed. */
  record Written(
      BatchCounts counts,
      OptionalLong rawVersion,
      OptionalLong quarantineVersion,
      OptionalLong profileVersion) {
    /** Nothing committed; the lines were counted as {@code counts}. */
    static Written nothing(BatchCounts counts) {
      return new Written(counts, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }
  }

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private final IngestSettings settings;
  private final DatasetSpec spec;
  private final Steps steps;

  BatchWrite(SparkSession spark, Lakehouse lakehouse, IngestSettings settings, Steps steps) {
    this.spark = spark;
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.spec = settings.dataset();
    this.steps = steps;
  }

  Written write(
      JobRun run, BatchFiles files, BatchParser parser, SourceLines.Read lines, String appId) {
    String rawTable = settings.table();
    Timestamp ingestedAt = Timestamp.from(run.startedAt());
    BatchParser.Batch batch =
        new BatchParser.Batch(files.batchId(), settings.source(), ingestedAt, files.fileKeys());
    // One pass parses the lines, counts them by kind and writes the accepted ones to the raw
    // table's storage, before anything is committed: the counts decide whether the batch lands at
    // all (quarantine limit), and a rejected batch's files are deleted. The counts come from the
    // parse's tasks (see LineKindCounts).
    LineKindCounts seen =
        LineKindCounts.register(spark.sparkContext(), "ingest " + files.batchId());
    // The same pass keeps the accepted rows' profile statistics (ColumnProfiles): the profile then
    // reads the batch back only for a column with too many values to count in memory.
    Profiler profiler = new Profiler(spec, settings.profile());
    ProfileAccumulator profiles =
        ProfileAccumulator.register(spark.sparkContext(), profiler.layout());
    Dataset<Row> accepted = parser.accepted(spark, lines, batch, seen, profiles);
    // Not counted: the quarantine write and the reasons of a failed batch parse the lines again.
    Dataset<Row> quarantined = parser.quarantined(spark, lines, batch);
    try (PendingAppend raw =
        steps.run(
            "parse, validate and write raw files",
            () ->
                lakehouse.stageAppend(
                    new RawTable(lakehouse, settings).spec(),
                    accepted,
                    appId,
                    1,
                    settings.schemaEvolution()))) {
      BatchCounts kinds = BatchCounts.of(seen.value());
      // Taken now: a commit that computes the rows again (Delta's own append) would add to it.
      ColumnProfiles written = profiles.value() == null ? null : profiles.value().copy();
      if (kinds.total() != lines.lineCount()) {
        throw Errors.invariantBroken(
            "accepted + quarantined + skipped = "
                + kinds.total()
                + " but "
                + lines.lineCount()
                + " lines were read");
      }
      QuarantineLimit limit = QuarantineLimit.of(settings);
      if (limit.exceededBy(kinds)) {
        // The batch fails: its reasons are counted from its lines, for the error.
        throw limit.error(files.batchId(), kinds.withReasons(BatchCounts.reasons(quarantined)));
      }
      run.detail("lines_read", lines.lineCount())
          .detail("accepted", kinds.accepted())
          .detail("quarantined", kinds.quarantined())
          .detail("skipped", kinds.skipped());
      run.rows(lines.lineCount(), kinds.accepted());
      if (kinds.dataRows() == 0) {
        run.detail("skip_reason", "no data rows in the batch").detail("reasons", Map.of());
        // No accepted or quarantined line: the counts hold only skipped lines, and no reasons.
        return Written.nothing(kinds);
      }

      // The batch lands. Before any of its commits, every other table a user may query is created
      // empty: a run stopped in between is no re-run with nothing to do, and creates the rest. The
      // batch's own table is created by its commit.
      steps.run(
          "create tables",
          () ->
              lakehouse.createMissing(
                  LakehouseTables.of(settings.data(), settings.labels()).stream()
                      .filter(table -> !table.name().equals(rawTable))
                      .toList()));
      Optional<Long> quarantineVersion = writeQuarantine(kinds, quarantined, appId);
      BatchCounts counts =
          kinds.quarantined() == 0
              ? kinds
              : kinds.withReasons(BatchCounts.reasons(writtenQuarantine(files.batchId())));
      run.detail("reasons", counts.reasons());
      Optional<Long> rawVersion = steps.run("commit raw table", raw::commit);
      long rawVersionNow =
          rawVersion.orElseGet(
              () ->
                  lakehouse
                      .version(rawTable)
                      .orElseThrow(
                          () ->
                              Errors.invariantBroken("raw table " + rawTable + " has no version")));
      Optional<Long> profileVersion =
          steps.run(
              "profile",
              () ->
                  profile(
                      profiler,
                      written,
                      new Profiler.Target(files.batchId(), rawTable, rawVersionNow, ingestedAt),
                      appId));
      rawVersion.ifPresent(v -> run.output(rawTable, v));
      quarantineVersion.ifPresent(v -> run.output(Tables.QUARANTINE, v));
      profileVersion.ifPresent(v -> run.output(Tables.DATA_PROFILES, v));
      return new Written(
          counts,
          toOptional(rawVersion),
          toOptional(quarantineVersion),
          toOptional(profileVersion));
    }
  }

  /**
   * A clean batch has nothing to quarantine: skipping the empty write saves a commit and a scan. A
   * dirty one parses its lines again for the quarantined ones.
   */
  private Optional<Long> writeQuarantine(
      BatchCounts kinds, Dataset<Row> quarantined, String appId) {
    if (kinds.quarantined() == 0) {
      return Optional.empty();
    }
    return steps.run(
        "write quarantine",
        () -> {
          lakehouse.create(QuarantineTable.SPEC);
          return lakehouse.appendOnce(quarantined, Tables.QUARANTINE, appId, 1, false);
        });
  }

  /** The batch's rows as the quarantine wrote them: a few rows, read back columnar. */
  private Dataset<Row> writtenQuarantine(String batchId) {
    return lakehouse
        .read(Tables.QUARANTINE)
        .where(
            col(Columns.DATASET).equalTo(spec.name()).and(col(Columns.BATCH_ID).equalTo(batchId)));
  }

  /**
   * Appends the profile of the committed batch: from the statistics the parse kept, or, when no
   * task added any (the write computed no partition of rows), from the rows read back.
   */
  private Optional<Long> profile(
      Profiler profiler, ColumnProfiles written, Profiler.Target target, String appId) {
    Supplier<Dataset<Row>> batchRows =
        () ->
            lakehouse
                .readVersion(target.table(), target.tableVersion())
                .where(col(Columns.BATCH_ID).equalTo(target.batchId()));
    List<Row> profile =
        written == null
            ? profiler.profile(batchRows.get(), target)
            : profiler.profile(written, batchRows, target);
    return lakehouse.appendOnce(DataProfilesTable.SPEC, profile, appId, 1);
  }

  private static OptionalLong toOptional(Optional<Long> value) {
    return value.map(OptionalLong::of).orElseGet(OptionalLong::empty);
  }
}
