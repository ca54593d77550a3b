package dev.sluice.jobs.ingest;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.SharedTables;
import dev.sluice.common.lakehouse.TableSpec;
import dev.sluice.common.parse.BatchFiles;
import dev.sluice.common.parse.BatchParser;
import dev.sluice.common.parse.LineKind;
import dev.sluice.common.parse.LineKindCounts;
import dev.sluice.common.parse.SourceLines;
import dev.sluice.common.quality.ColumnProfiles;
import dev.sluice.common.quality.ProfileAccumulator;
import dev.sluice.common.quality.Profiler;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.IngestSettings.QuarantinePolicy;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Ingests one batch of a data set's files: accepted rows into {@code <dataset>_raw}, the others
 * into {@code quarantine} with their reasons, a profile into {@code data_profiles}, and the run
 * into {@code job_runs}. Each write is an idempotent Delta transaction keyed by the batch id, so a
 * re-run adds nothing.
 */
public final class IngestJob {
  static final String JOB = "ingest";
  private static final int TOP_REASONS_IN_ERROR = 5;

  private final SparkSession spark;
  private final IngestSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Steps steps;

  public IngestJob(SparkSession spark, IngestSettings settings) {
    this.spark = requireNonNull(spark, "spark is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(spark, settings.lakehouse());
    this.steps = new Steps(spark.sparkContext(), JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB, args, IngestSettings::load, (spark, settings) -> new IngestJob(spark, settings).run());
  }

  public IngestResult run() {
    return JobRun.record(
        lakehouse,
        JOB,
        spec.name(),
        settings.settingsHash(),
        this::execute,
        result -> result.rawVersion().isEmpty() && result.quarantineVersion().isEmpty());
  }

  private IngestResult execute(JobRun run) {
    long started = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String rawTable = settings.table();
    BatchFiles files =
        steps.run(
            "resolve and hash files",
            () ->
                BatchFiles.resolve(
                    spec.name(),
                    settings.source(),
                    settings.batchFiles(),
                    hadoop,
                    SourceLines.SplitSizing.of(spark)));
    String appId = JOB + "/" + spec.name() + "/" + files.batchId();
    run.detail("batch_id", files.batchId()).detail("source", settings.source());

    if (alreadyIngested(rawTable, appId)) {
      run.detail("skip_reason", "batch already ingested");
      return result(
          files,
          true,
          0,
          Counts.NONE,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          started);
    }
    steps.run("check file shape", () -> files.checkShape(spec, settings.labelPolicy(), hadoop));
    BatchParser parser = new BatchParser(spec, settings.labelPolicy());
    steps.run("check table schema", () -> checkRawSchema(rawTable, parser.rawSchema()));

    Timestamp ingestedAt = Timestamp.from(run.startedAt());
    SourceLines.Read lines =
        steps.run(
            "number lines",
            () ->
                SourceLines.read(
                    spark, files.paths(), files.lineIndexes(), files.readConfiguration()));
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
    Dataset<Row> accepted = parser.accepted(spark, lines.lines(), batch, seen, profiles);
    // Not counted: the quarantine write and the reasons of a failed batch parse the lines again.
    Dataset<Row> quarantined = parser.quarantined(spark, lines.lines(), batch);
    try (Lakehouse.PendingAppend raw =
        steps.run(
            "parse, validate and write raw files",
            () ->
                lakehouse.stageAppend(
                    rawTableSpec(rawTable, parser.rawSchema()),
                    accepted,
                    appId,
                    1,
                    settings.schemaEvolution()))) {
      Counts kinds = Counts.of(seen.value());
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
      if (exceedsQuarantineLimit(kinds)) {
        // The batch fails: its reasons are counted from its lines, for the error.
        throw quarantineLimitExceeded(
            files.batchId(), kinds.withReasons(Counts.reasons(quarantined)));
      }
      run.detail("lines_read", lines.lineCount())
          .detail("accepted", kinds.accepted())
          .detail("quarantined", kinds.quarantined())
          .detail("skipped", kinds.skipped());
      run.rows(lines.lineCount(), kinds.accepted());
      if (kinds.accepted() + kinds.quarantined() == 0) {
        run.detail("skip_reason", "no data rows in the batch").detail("reasons", Map.of());
        // No accepted or quarantined line: the counts hold only skipped lines, and no reasons.
        return result(
            files,
            false,
            lines.lineCount(),
            kinds,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            started);
      }

      // A clean batch has nothing to quarantine: skipping the empty write saves a commit and a
      // scan. A dirty one parses its lines again for the quarantined ones, then counts their
      // reasons from what it wrote (a few rows, read back columnar).
      Optional<Long> quarantineVersion =
          kinds.quarantined() == 0
              ? Optional.empty()
              : steps.run(
                  "write quarantine",
                  () -> {
                    lakehouse.create(SharedTables.QUARANTINE);
                    return lakehouse.appendOnce(quarantined, Tables.QUARANTINE, appId, 1, false);
                  });
      Counts counts =
          kinds.quarantined() == 0
              ? kinds
              : kinds.withReasons(
                  Counts.reasons(
                      lakehouse
                          .read(Tables.QUARANTINE)
                          .where(
                              col(Columns.DATASET)
                                  .equalTo(spec.name())
                                  .and(col(Columns.BATCH_ID).equalTo(files.batchId())))));
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
              () -> {
                Supplier<Dataset<Row>> batchRows =
                    () ->
                        lakehouse
                            .readVersion(rawTable, rawVersionNow)
                            .where(col(Columns.BATCH_ID).equalTo(files.batchId()));
                Profiler.Target target =
                    new Profiler.Target(files.batchId(), rawTable, rawVersionNow, ingestedAt);
                // No task added profiles when the write computed no partition of rows.
                List<Row> profile =
                    written == null
                        ? profiler.profile(batchRows.get(), target)
                        : profiler.profile(written, batchRows, target);
                return lakehouse.appendOnce(SharedTables.DATA_PROFILES, profile, appId, 1);
              });
      rawVersion.ifPresent(v -> run.output(rawTable, v));
      quarantineVersion.ifPresent(v -> run.output(Tables.QUARANTINE, v));
      profileVersion.ifPresent(v -> run.output(Tables.DATA_PROFILES, v));
      return result(
          files,
          false,
          lines.lineCount(),
          counts,
          rawVersion,
          quarantineVersion,
          profileVersion,
          started);
    }
  }

  /** This run's result: the batch, the lines read and their counts, the versions committed. */
  private IngestResult result(
      BatchFiles files,
      boolean alreadyIngested,
      long linesRead,
      Counts counts,
      Optional<Long> rawVersion,
      Optional<Long> quarantineVersion,
      Optional<Long> profileVersion,
      long started) {
    return new IngestResult(
        spec.name(),
        files.batchId(),
        settings.source(),
        files.paths(),
        alreadyIngested,
        linesRead,
        counts.accepted(),
        counts.quarantined(),
        counts.skippedByKind(),
        counts.reasons(),
        lakehouse.qualifiedName(settings.table()),
        toOptional(rawVersion),
        toOptional(quarantineVersion),
        toOptional(profileVersion),
        seconds(started));
  }

  private boolean alreadyIngested(String rawTable, String appId) {
    // The profile is written last: its transaction means the quarantine and raw writes before it
    // landed.
    return lakehouse.transactionVersion(Tables.DATA_PROFILES, appId).isPresent()
        && lakehouse.transactionVersion(rawTable, appId).isPresent();
  }

  private TableSpec rawTableSpec(String rawTable, StructType schema) {
    return new TableSpec(
        rawTable,
        settings.kind() == IngestSettings.Kind.LABELS
            ? "Delayed labels of data set '"
                + spec.name()
                + "': row id and label of scored rows, plus lineage columns; ingested_at is when"
                + " the label arrived."
            : "Accepted rows of data set '"
                + spec.name()
                + "': typed columns of its spec plus lineage columns.",
        schema,
        List.of(),
        TableSpec.fileStatisticsOn(RAW_STATS_COLUMNS));
  }

  /**
   * The raw table's columns with file statistics (Delta's, and no Parquet ones: {@link
   * TableSpec#fileStatisticsOn}): the lineage columns, on which a batch's files differ from other
   * batches' (batch id, source, ingestion time), so a query of a batch skips the others' files. A
   * batch's data columns spread over their whole range in every file, where min/max skip nothing,
   * and collecting them cost a quarter of the write (1 M rows, warm: 8.7 to 10.3 s with Delta's
   * default of every column, 7.2 to 7.3 s with these, 6.2 to 6.5 s without any).
   */
  static final List<String> RAW_STATS_COLUMNS = Columns.LINEAGE;

  private void checkRawSchema(String rawTable, StructType expected) {
    if (settings.schemaEvolution() || !lakehouse.exists(rawTable)) {
      return;
    }
    StructType actual = lakehouse.read(rawTable).schema();
    if (!shape(actual).equals(shape(expected))) {
      throw Errors.schemaMismatch(
          lakehouse.qualifiedName(rawTable), shape(expected), shape(actual));
    }
  }

  private static String shape(StructType schema) {
    return java.util.Arrays.stream(schema.fields())
            .map(StructField::name)
            .collect(Collectors.joining(", ", "[", "]"))
        + java.util.Arrays.stream(schema.fields())
            .map(f -> f.dataType().simpleString())
            .collect(Collectors.joining(", ", " types [", "]"));
  }

  private boolean exceedsQuarantineLimit(Counts counts) {
    if (counts.quarantined() == 0) {
      return false;
    }
    double rate = (double) counts.quarantined() / (counts.accepted() + counts.quarantined());
    return settings.policy() == QuarantinePolicy.FAIL_FAST || rate > settings.maxQuarantineRate();
  }

  private RuntimeException quarantineLimitExceeded(String batchId, Counts counts) {
    Map<String, Long> top =
        counts.reasons().entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(TOP_REASONS_IN_ERROR)
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    boolean failFast = settings.policy() == QuarantinePolicy.FAIL_FAST;
    return Errors.quarantineRateExceeded(
        batchId,
        counts.quarantined(),
        counts.accepted() + counts.quarantined(),
        failFast ? 0.0 : settings.maxQuarantineRate(),
        top);
  }

  private static OptionalLong toOptional(Optional<Long> value) {
    return value.map(OptionalLong::of).orElseGet(OptionalLong::empty);
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Line counts by kind, and the quarantine reasons' counts once they are known. */
  record Counts(Map<String, Long> byKind, Map<String, Long> reasons) {
    /** No line read. */
    static final Counts NONE = new Counts(Map.of(), Map.of());

    /** The counts by kind of a parse, with no reasons yet. */
    static Counts of(Map<LineKind, Long> counts) {
      Map<String, Long> byKind = new TreeMap<>();
      counts.forEach(
          (kind, count) -> {
            if (count > 0) {
              byKind.put(kind.name(), count);
            }
          });
      return new Counts(byKind, Map.of());
    }

    /** How many quarantined rows (of the quarantine table's columns) give each reason. */
    static Map<String, Long> reasons(Dataset<Row> quarantined) {
      Map<String, Long> reasons = new TreeMap<>();
      for (Row row :
          quarantined
              .select(explode(col(Columns.REASONS)).as("reason"))
              .groupBy("reason")
              .count()
              .collectAsList()) {
        reasons.put(row.getString(0), row.getLong(1));
      }
      return reasons;
    }

    Counts withReasons(Map<String, Long> reasons) {
      return new Counts(byKind, reasons);
    }

    long of(LineKind kind) {
      return byKind.getOrDefault(kind.name(), 0L);
    }

    long accepted() {
      return of(LineKind.ACCEPTED);
    }

    long quarantined() {
      return of(LineKind.QUARANTINED);
    }

    long skipped() {
      return of(LineKind.BLANK) + of(LineKind.COMMENT) + of(LineKind.HEADER);
    }

    Map<String, Long> skippedByKind() {
      Map<String, Long> skipped = new TreeMap<>();
      for (LineKind kind : LineKind.values()) {
        if (kind.isSkipped() && of(kind) > 0) {
          skipped.put(kind.name(), of(kind));
        }
      }
      return skipped;
    }

    long total() {
      return byKind.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
