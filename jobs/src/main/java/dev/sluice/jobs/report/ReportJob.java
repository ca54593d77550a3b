package dev.sluice.jobs.report;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.ReportSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a self-contained HTML report of a registered version beside its artifact: data,
 * cross-validation, test metrics, curves, confusion matrix, importances, slices, the gate's
 * decision and the lineage from raw batches to the model. Every number comes from the tables or
 * from scoring the frozen test split.
 */
public final class ReportJob {
  static final String JOB = "report";

  /** Hash buckets of the test sample: its fraction is kept to a millionth. */
  private static final long SAMPLE_BUCKETS = 1_000_000L;

  private final ReportSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  public ReportJob(SparkSession spark, ReportSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /** The job with a session that starts when a step first needs Spark. */
  public ReportJob(JobSession session, ReportSettings settings) {
    requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(session, settings.lakehouse());
    this.registry = new Registry(lakehouse);
    this.steps = new Steps(session, JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        ReportSettings::load,
        (session, settings) -> new ReportJob(session, settings).run());
  }

  public ReportResult run() {
    return JobRun.record(
        lakehouse, JOB, spec.name(), settings.settingsHash(), this::execute, result -> false);
  }

  private ReportResult execute(JobRun run) {
    String model = spec.name();
    ModelVersion record =
        registry.resolve(
            model,
            settings.modelVersion(),
            Registry.Fallback.LATEST,
            "report on",
            "--model-version");
    long version = record.version();
    run.input(record.snapshotTable(), record.snapshotVersion());
    Dataset<Row> snapshot = lakehouse.readVersion(record.snapshotTable(), record.snapshotVersion());
    PipelineModel pipeline = PipelineModel.load(record.artifactPath());
    Dataset<Row> test = testSample(snapshot);
    Dataset<Row> scored = pipeline.transform(test).cache();
    Map<String, Integer> points = new LinkedHashMap<>();
    Html html = new Html(model + " v" + version);
    TableSections tables = new TableSections(lakehouse);
    Slices slices =
        new Slices(
            spec.task(),
            settings.metric(),
            Snapshots.classIndex(spec).size(),
            settings.sliceColumns());

    steps.run("data", () -> tables.data(html, snapshot));
    steps.run("cross-validation", () -> tables.crossValidation(html, model, version));
    tables.testMetrics(html, record.testMetrics());
    if (spec.task() == TaskType.BINARY) {
      steps.run("curves", () -> ReportCharts.curves(html, scored, points));
    }
    if (spec.task().isClassification()) {
      steps.run(
          "confusion matrix",
          () -> ReportCharts.confusion(html, scored, record.classLabels(), points));
    } else {
      steps.run("residuals", () -> ReportCharts.residuals(html, scored, points));
    }
    steps.run(
        "importance",
        () ->
            new Importance(settings, lakehouse)
                .write(html, run, record, pipeline, scored, test, points));
    steps.run("slices", () -> slices.write(html, scored));
    steps.run("gate", () -> tables.gate(html, model, version));
    steps.run("lineage", () -> tables.lineage(html, record, snapshot));
    scored.unpersist();

    String path = record.artifactPath() + "/report.html";
    write(path, html.render());
    run.detail("report", path);
    return new ReportResult(model, version, path, points);
  }

  /**
   * The snapshot's test split, down to about {@code sluice.report.max-rows} rows by a hash of the
   * row id and the seed when it holds more, so the same rows are chosen every time.
   */
  private Dataset<Row> testSample(Dataset<Row> snapshot) {
    Dataset<Row> test = snapshot.where(col(Columns.SPLIT).equalTo("test"));
    long testRows = test.count();
    if (testRows <= settings.maxRows()) {
      return test;
    }
    return test.where(
        pmod(xxhash64(col(Columns.ROW_ID), lit(settings.seed())), lit(SAMPLE_BUCKETS))
            .lt(lit((long) ((double) settings.maxRows() / testRows * SAMPLE_BUCKETS))));
  }

  private void write(String path, String content) {
    Path file = new Path(path);
    try {
      FileSystem fs = file.getFileSystem(lakehouse.session().hadoopConfiguration());
      try (OutputStream out = fs.create(file, true)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report to " + path, e);
    }
  }
}
