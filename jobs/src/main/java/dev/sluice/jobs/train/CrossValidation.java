package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.train.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * k-fold cross-validation as MLlib's {@code CrossValidator} does it (mean metric over folds picks
 * the parameters, {@code parallelism} models fitted at once), keeping every fold's metric. Folds
 * come from a hash of the row id and the seed, so they do not depend on partitioning.
 */
final class CrossValidation {
  private static final String FOLD = "_fold";

  /** One (parameter map, fold) result. */
  record FoldResult(
      int paramIndex,
      int fold,
      double value,
      long trainRows,
      long validationRows,
      double fitSeconds) {}

  /** All results and the chosen parameter map. */
  record Outcome(List<FoldResult> folds, double[] meanByParam, int bestIndex) {}

  private final TaskType task;
  private final String metric;
  private final int classCount;
  private final int folds;
  private final long seed;
  private final int parallelism;

  CrossValidation(
      TaskType task, String metric, int classCount, int folds, long seed, int parallelism) {
    this.task = task;
    this.metric = metric;
    this.classCount = classCount;
    this.folds = folds;
    this.seed = seed;
    this.parallelism = parallelism;
  }

  /**
   * Cross-validates {@code estimator} over {@code grid} on prepared rows (features and target,
   * cached).
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  Outcome run(Estimator estimator, ParamMap[] grid, Dataset<Row> prepared) {
    Dataset<Row> withFold =
        prepared.withColumn(
            FOLD, pmod(xxhash64(col(Columns.ROW_ID), lit(seed)), lit((long) folds)));
    List<FoldResult> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      for (int fold = 0; fold < folds; fold++) {
        Dataset<Row> train = withFold.where(col(FOLD).notEqual(fold)).cache();
        Dataset<Row> validation = withFold.where(col(FOLD).equalTo(fold)).cache();
        long trainRows = train.count();
        long validationRows = validation.count();
        List<Future<FoldResult>> futures = new ArrayList<>();
        for (int i = 0; i < grid.length; i++) {
          int paramIndex = i;
          int foldIndex = fold;
          futures.add(
              pool.submit(
                  () -> {
                    long start = System.nanoTime();
                    Model model = (Model) estimator.fit(train, grid[paramIndex]);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double value =
                        Metrics.evaluate(task, model.transform(validation), metric, classCount);
                    return new FoldResult(
                        paramIndex, foldIndex, value, trainRows, validationRows, seconds);
                  }));
        }
        for (Future<FoldResult> future : futures) {
          results.add(future.get());
        }
        train.unpersist();
        validation.unpersist();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during cross-validation", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException("Cross-validation failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    double[] means = new double[grid.length];
    for (FoldResult result : results) {
      means[result.paramIndex()] += result.value() / folds;
    }
    boolean larger = Metrics.largerIsBetter(metric);
    int best = 0;
    for (int i = 1; i < means.length; i++) {
      // Ties keep the earlier parameter map, as CrossValidator does.
      if (larger ? means[i] > means[best] : means[i] < means[best]) {
        best = i;
      }
    }
    return new Outcome(results, means, best);
  }
}
