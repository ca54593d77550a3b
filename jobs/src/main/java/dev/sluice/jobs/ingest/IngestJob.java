package dev.sluice.jobs.ingest;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.TableSpec;
import dev.sluice.common.parse.BatchFiles;
import dev.sluice.common.parse.BatchParser;
import dev.sluice.common.parse.SourceLines;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.IngestSettings;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Ingests one batch of a data set's files: accepted rows into {@code <dataset>_raw}, the others
 * into {@code quarantine} with their reasons, a profile into {@code data_profiles}, and the run
 * into {@code job_runs}. Each write is an idempotent Delta transaction keyed by the batch id, so a
 * re-run adds nothing.
 */
public final class IngestJob {
  static final String JOB = "ingest";

  /**
   * The raw table's columns with file statistics (Delta's, and no Parquet ones: {@link
   * TableSpec#fileStatisticsOn}): the lineage columns, on which a batch's files differ from other
   * batches' (batch id, source, ingestion time), so a query of a batch skips the others' files. A
   * batch's data columns spread over their whole range in every file, where min/max skip nothing,
   * and collecting them cost a quarter of the write (1 M rows, warm: 8.7 to 10.3 s with Delta's
   * default of every column, 7.2 to 7.3 s with these, 6.2 to 6.5 s without any).
   */
  static final List<String> RAW_STATS_COLUMNS = Columns.LINEAGE;

  private final IngestSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Steps steps;

  public IngestJob(SparkSession spark, IngestSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /** The job with a session that starts when a step first needs Spark. */
  public IngestJob(JobSession session, IngestSettings settings) {
    requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(session, settings.lakehouse());
    this.steps = new Steps(session, JOB);
  }

  public static void main(String[] args) {
    JobMain.run(JOB, args, IngestSettings::load, IngestJob::run);
  }

  /** The run the settings ask for: every new file of the landing folder, or one batch. */
  static JobResult run(JobSession session, IngestSettings settings) {
    return settings.fromLanding()
        ? new LandingIngest(session, settings).run()
        : new IngestJob(session, settings).run();
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
    Configuration hadoop = lakehouse.session().hadoopConfiguration();
    BatchFiles files = steps.run("resolve and hash files", () -> resolveFiles(hadoop));
    String appId = JOB + "/" + spec.name() + "/" + files.batchId();
    run.detail("batch_id", files.batchId()).detail("source", settings.source());

    if (alreadyIngested(settings.table(), appId)) {
      run.detail("skip_reason", "batch already ingested");
      return result(files, true, 0, BatchWrite.Written.nothing(BatchCounts.NONE), started);
    }
    steps.run("check file shape", () -> files.checkShape(spec, settings.labelPolicy(), hadoop));
    BatchParser parser = new BatchParser(spec, settings.labelPolicy());
    steps.run(
        "check table schema",
        () -> new RawTable(lakehouse, settings).checkSchema(parser.rawSchema()));
    SourceLines.Read lines =
        steps.run(
            "number lines",
            () ->
                SourceLines.read(
                    lakehouse.spark(),
                    files.paths(),
                    files.lineIndexes(),
                    files.readConfiguration()));
    BatchWrite.Written written =
        new BatchWrite(lakehouse.spark(), lakehouse, settings, steps)
            .write(run, files, parser, lines, appId);
    return result(files, false, lines.lineCount(), written, started);
  }

  /** The batch's files, listed and hashed: the hashes name the batch. */
  private BatchFiles resolveFiles(Configuration hadoop) {
    return BatchFiles.resolve(
        spec.name(),
        settings.source(),
        settings.batchFiles(),
        hadoop,
        SourceLines.SplitSizing.of(lakehouse.session()));
  }

  private boolean alreadyIngested(String rawTable, String appId) {
    // The profile is written last: its transaction means the quarantine and raw writes before it
    // landed.
    return lakehouse.committed(Tables.DATA_PROFILES, appId, 0)
        && lakehouse.committed(rawTable, appId, 0);
  }

  /** This run's result: the batch, the lines read and their counts, the versions committed. */
  private IngestResult result(
      BatchFiles files,
      boolean alreadyIngested,
      long linesRead,
      BatchWrite.Written written,
      long started) {
    BatchCounts counts = written.counts();
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
        written.rawVersion(),
        written.quarantineVersion(),
        written.profileVersion(),
        seconds(started));
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
