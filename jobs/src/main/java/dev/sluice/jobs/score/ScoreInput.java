package dev.sluice.jobs.score;

import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.engine.Schemas;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.features.SplitSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.parse.BatchFiles;
import dev.sluice.common.parse.BatchParser;
import dev.sluice.common.parse.LabelPolicy;
import dev.sluice.common.parse.SourceLines;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.ScoreSettings;
import dev.sluice.common.table.PredictionsTable;
import dev.sluice.common.table.QuarantineTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The rows a score run reads: new files, parsed as ingest parses them (bad rows quarantined), or a
 * version of the raw table, filtered by batch, source or split.
 */
final class ScoreInput {
  /**
   * What a run scores: the table (or batch of files) and version, the filter in words, all known
   * from the files' hashes and the tables' logs, so a run that already scored them starts no Spark.
   */
  record Selected(
      String table, long version, String filter, BatchFiles files, List<String> pending) {
    boolean newFiles() {
      return files != null;
    }

    /** Whether the run scores pending batches and found none. */
    boolean nothingPending() {
      return pending != null && pending.isEmpty();
    }
  }

  private final Lakehouse lakehouse;
  private final ScoreSettings settings;
  private final DatasetSpec spec;

  ScoreInput(Lakehouse lakehouse, ScoreSettings settings) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.spec = settings.dataset();
  }

  Selected select(JobRun run) {
    if (!settings.files().isEmpty()) {
      BatchFiles files =
          BatchFiles.resolve(
              spec.name(),
              "score",
              settings.files(),
              lakehouse.session().hadoopConfiguration(),
              SourceLines.SplitSizing.of(lakehouse.session()));
      run.detail("batch_id", files.batchId());
      return new Selected("files:" + files.batchId(), 0, "", files, null);
    }
    String rawTable = Tables.raw(spec.name());
    long latest =
        lakehouse
            .version(rawTable)
            .orElseThrow(() -> Errors.noInputTable(lakehouse.qualifiedName(rawTable)));
    long inputVersion = settings.inputVersion().orElse(latest);
    run.input(rawTable, inputVersion);
    if (settings.pending()) {
      List<String> pending = pendingBatches(rawTable, inputVersion);
      run.detail("pending_batches", pending);
      String filter =
          pending.isEmpty()
              ? "no pending batch"
              : Columns.BATCH_ID + " IN ('" + String.join("', '", pending) + "')";
      return new Selected(rawTable, inputVersion, filter, null, pending);
    }
    List<String> conditions = new ArrayList<>();
    if (!settings.batchId().isEmpty()) {
      conditions.add(Columns.BATCH_ID + " = '" + settings.batchId() + "'");
    }
    if (!settings.source().isEmpty()) {
      conditions.add(Columns.SOURCE + " = '" + settings.source() + "'");
    }
    if (!settings.split().isEmpty()) {
      conditions.add(
          Columns.SPLIT
              + " = '"
              + settings.split()
              + "' ("
              + settings.splitSpec().describe()
              + ")");
    }
    return new Selected(rawTable, inputVersion, String.join(" AND ", conditions), null, null);
  }

  /**
   * The batches of the raw table version with rows to score (a null label: ingested with {@code
   * --kind unlabelled}) that no version of the data set's model has scored, in batch-id order.
   * Labelled batches, the training data, are never pending.
   */
  private List<String> pendingBatches(String rawTable, long inputVersion) {
    Dataset<Row> toScore =
        lakehouse
            .readVersion(rawTable, inputVersion)
            .where(col(Schemas.quoted(spec.label().column())).isNull())
            .select(Columns.BATCH_ID)
            .distinct();
    if (lakehouse.hasData(PredictionsTable.NAME)) {
      Dataset<Row> scored =
          lakehouse
              .read(PredictionsTable.NAME)
              .where(
                  col(PredictionsTable.MODEL_NAME)
                      .equalTo(spec.name())
                      .and(col(PredictionsTable.INPUT_TABLE).equalTo(rawTable)))
              .select(PredictionsTable.BATCH_ID)
              .distinct();
      toScore = toScore.join(scored, Columns.BATCH_ID, "left_anti");
    }
    return toScore.orderBy(Columns.BATCH_ID).collectAsList().stream()
        .map(row -> row.getString(0))
        .toList();
  }

  /**
   * The selected rows. New files are parsed as ingest parses them: bad rows are quarantined (a
   * write, now), never scored, and a label is not needed (it may be blank, or its column left out).
   */
  Dataset<Row> rows(Selected selected, JobRun run) {
    SparkSession spark = lakehouse.spark();
    if (selected.newFiles()) {
      BatchFiles files = selected.files();
      files.checkShape(spec, LabelPolicy.OPTIONAL, lakehouse.session().hadoopConfiguration());
      BatchParser parser = new BatchParser(spec, LabelPolicy.OPTIONAL);
      SourceLines.Read lines =
          SourceLines.read(spark, files.paths(), files.lineIndexes(), files.readConfiguration());
      BatchParser.Batch batch =
          new BatchParser.Batch(
              files.batchId(), "score", Timestamp.from(run.startedAt()), files.fileKeys());
      // Two passes over the lines, each parsing them: the quarantined ones are a few rows written
      // now, the accepted ones are scored as they are parsed.
      lakehouse.create(QuarantineTable.SPEC);
      lakehouse
          .appendOnce(
              parser.quarantined(spark, lines, batch),
              QuarantineTable.NAME,
              "score/" + spec.name() + "/" + files.batchId(),
              1,
              false)
          .ifPresent(v -> run.output(QuarantineTable.NAME, v));
      return parser.accepted(spark, lines, batch);
    }
    Dataset<Row> input = lakehouse.readVersion(selected.table(), selected.version());
    if (!settings.batchId().isEmpty()) {
      input = input.where(col(Columns.BATCH_ID).equalTo(settings.batchId()));
    }
    if (!settings.source().isEmpty()) {
      input = input.where(col(Columns.SOURCE).equalTo(settings.source()));
    }
    if (!settings.split().isEmpty()) {
      input = inSplit(input, settings.split(), settings.splitSpec());
    }
    if (selected.pending() != null) {
      input = input.where(col(Columns.BATCH_ID).isin(selected.pending().toArray()));
    }
    return input;
  }

  /** The rows the features' split puts in {@code split}, as the snapshot assigns them. */
  private static Dataset<Row> inSplit(Dataset<Row> rows, String split, SplitSpec spec) {
    return Snapshots.withSplit(rows, spec)
        .where(col(Columns.SPLIT).equalTo(split))
        .drop(Columns.SPLIT);
  }
}
