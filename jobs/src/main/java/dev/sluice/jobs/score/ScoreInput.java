package dev.sluice.jobs.score;

import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.features.SplitSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.parse.BatchFiles;
import dev.sluice.common.parse.BatchParser;
import dev.sluice.common.parse.LabelPolicy;
import dev.sluice.common.parse.SourceLines;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.ScoreSettings;
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
  /** The rows to score, the table and version they come from, and the filter in words. */
  record Selected(String table, long version, Dataset<Row> rows, String filter) {}

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private final ScoreSettings settings;
  private final DatasetSpec spec;

  ScoreInput(SparkSession spark, Lakehouse lakehouse, ScoreSettings settings) {
    this.spark = spark;
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.spec = settings.dataset();
  }

  Selected select(JobRun run) {
    String inputTable;
    long inputVersion;
    Dataset<Row> input;
    String filter = "";
    if (!settings.files().isEmpty()) {
      // New files: parsed as ingest parses them; bad rows are quarantined, never scored. A label is
      // not needed to score: it may be blank, or its column left out.
      BatchFiles files =
          BatchFiles.resolve(
              spec.name(),
              "score",
              settings.files(),
              spark.sparkContext().hadoopConfiguration(),
              SourceLines.SplitSizing.of(spark));
      files.checkShape(spec, LabelPolicy.OPTIONAL, spark.sparkContext().hadoopConfiguration());
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
      inputTable = "files:" + files.batchId();
      inputVersion = 0;
      input = parser.accepted(spark, lines, batch);
      run.detail("batch_id", files.batchId());
    } else {
      String rawTable = Tables.raw(spec.name());
      inputTable = rawTable;
      long latest =
          lakehouse
              .version(rawTable)
              .orElseThrow(() -> Errors.noInputTable(lakehouse.qualifiedName(rawTable)));
      inputVersion = settings.inputVersion().orElse(latest);
      run.input(inputTable, inputVersion);
      input = lakehouse.readVersion(inputTable, inputVersion);
      List<String> conditions = new ArrayList<>();
      if (!settings.batchId().isEmpty()) {
        input = input.where(col(Columns.BATCH_ID).equalTo(settings.batchId()));
        conditions.add(Columns.BATCH_ID + " = '" + settings.batchId() + "'");
      }
      if (!settings.source().isEmpty()) {
        input = input.where(col(Columns.SOURCE).equalTo(settings.source()));
        conditions.add(Columns.SOURCE + " = '" + settings.source() + "'");
      }
      if (!settings.split().isEmpty()) {
        input = inSplit(input, settings.split(), settings.splitSpec());
        conditions.add(
            Columns.SPLIT
                + " = '"
                + settings.split()
                + "' ("
                + settings.splitSpec().describe()
                + ")");
      }
      filter = String.join(" AND ", conditions);
    }
    return new Selected(inputTable, inputVersion, input, filter);
  }

  /** The rows the features' split puts in {@code split}, as the snapshot assigns them. */
  private static Dataset<Row> inSplit(Dataset<Row> rows, String split, SplitSpec spec) {
    return Snapshots.withSplit(rows, spec)
        .where(col(Columns.SPLIT).equalTo(split))
        .drop(Columns.SPLIT);
  }
}
