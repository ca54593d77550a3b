package dev.sluice.jobs.reproduce;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.sluice.common.Columns;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.features.FeaturePipeline;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.ReproduceSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.table.ReproducibilityChecksTable;
import dev.sluice.common.train.Estimators;
import dev.sluice.common.train.Metrics;
import dev.sluice.common.train.Refit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Retrains a registered version from its record alone (the snapshot version by time travel, the
 * recorded settings, estimator, parameters and seed), compares the test metrics with the recorded
 * ones, and appends the outcome to {@code reproducibility_checks}. A mismatch exits with code 4.
 */
public final class ReproduceJob {
  static final String JOB = "reproduce";

  private final ReproduceSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  public ReproduceJob(SparkSession spark, ReproduceSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /** The job with a session that starts when a step first needs Spark. */
  public ReproduceJob(JobSession session, ReproduceSettings settings) {
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
        ReproduceSettings::load,
        (session, settings) -> new ReproduceJob(session, settings).run());
  }

  public ReproduceResult run() {
    return JobRun.record(
        lakehouse, JOB, spec.name(), settings.settingsHash(), this::execute, result -> false);
  }

  @SuppressWarnings("rawtypes")
  private ReproduceResult execute(JobRun run) {
    String model = spec.name();
    ModelVersion record =
        registry.resolve(
            model,
            settings.modelVersion(),
            Registry.Fallback.LATEST,
            "reproduce",
            "--model-version");
    long version = record.version();
    // The settings the version was trained with, not today's.
    Config recorded =
        ConfigFactory.parseString("sluice = " + record.settingsJson())
            .withFallback(ConfigFactory.defaultReference())
            .resolve();
    TrainSettings train = TrainSettings.from(new LoadedSettings(recorded, record.settingsHash()));
    String snapshotTable = record.snapshotTable();
    long snapshotVersion = record.snapshotVersion();
    String estimatorName = record.estimator();
    Map<String, String> params = record.params();
    run.input(snapshotTable, snapshotVersion).detail("model_version", version);

    Dataset<Row> snapshot = lakehouse.readVersion(snapshotTable, snapshotVersion);
    Dataset<Row> trainRows = snapshot.where(col(Columns.SPLIT).equalTo("train")).cache();
    Dataset<Row> testRows = snapshot.where(col(Columns.SPLIT).equalTo("test")).cache();
    Map<String, Double> reproduced;
    try {
      reproduced =
          steps.run(
              "retrain",
              () -> {
                FeaturePipeline features = new FeaturePipeline(train.features());
                Map<String, List<String>> levels = features.frequentLevels(trainRows);
                int maxLevels = levels.values().stream().mapToInt(List::size).max().orElse(0);
                PipelineModel featureModel =
                    features.fit(trainRows, Estimators.encoding(estimatorName), levels);
                Estimator estimator =
                    Estimators.create(
                        estimatorName,
                        spec.task(),
                        train.seed(),
                        TrainSettings.PATH + ".estimators");
                Estimators.prepare(
                    estimator,
                    estimatorName,
                    maxLevels,
                    Snapshots.classIndex(spec).size(),
                    featureModel.transform(trainRows));
                train.classWeight().configure(estimator);
                PipelineModel refitted =
                    Refit.pipeline(
                        featureModel,
                        estimator,
                        Estimators.params(estimator, params),
                        train.classWeight().weigh(trainRows));
                return Metrics.evaluate(
                    spec.task(),
                    refitted.transform(testRows),
                    train.taskMetrics(),
                    Snapshots.classIndex(spec).size());
              });
    } finally {
      trainRows.unpersist();
      testRows.unpersist();
    }

    Map<String, Double> recordedMetrics = record.testMetrics();
    List<String> differences = new ArrayList<>();
    double maxDifference = 0;
    for (Map.Entry<String, Double> metric : recordedMetrics.entrySet()) {
      Double now = reproduced.get(metric.getKey());
      double difference =
          now == null ? Double.POSITIVE_INFINITY : Math.abs(now - metric.getValue());
      if (Double.isNaN(difference)) {
        difference = Double.POSITIVE_INFINITY;
      }
      maxDifference = Math.max(maxDifference, difference);
      if (difference > settings.tolerance()) {
        differences.add(
            metric.getKey() + ": recorded " + metric.getValue() + ", reproduced " + now);
      }
    }
    boolean match = differences.isEmpty();
    String status = match ? ReproducibilityChecksTable.MATCH : ReproducibilityChecksTable.MISMATCH;
    run.detail("status", status);
    ReproducibilityChecksTable.Entry entry =
        new ReproducibilityChecksTable.Entry(
            Instant.now(),
            run.runId(),
            model,
            version,
            snapshotTable,
            snapshotVersion,
            status,
            settings.tolerance(),
            maxDifference,
            recordedMetrics,
            reproduced,
            differences);
    run.output(
        ReproducibilityChecksTable.NAME,
        lakehouse.append(ReproducibilityChecksTable.SPEC, List.of(entry.toRow())));
    return new ReproduceResult(
        model, version, match, maxDifference, recordedMetrics, reproduced, differences);
  }
}
