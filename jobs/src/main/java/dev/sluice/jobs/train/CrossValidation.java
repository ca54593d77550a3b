package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.train.Estimators;
import dev.sluice.common.train.Metrics;
import dev.sluice.common.train.xgboost.XGBoostStage;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
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
 * come from a hash of the row id and the seed, so they do not depend on partitioning. An estimator
 * that learns its rounds stops each fold's fit early on the fold's held-out rows, as XGBoost's own
 * {@code xgb.cv} does.
 */
final class CrossValidation {
  private static final String FOLD = "_fold";

  /**
   * One (parameter map, fold) result; {@code keptRounds} is the rounds an early-stopped fit kept, 0
   * for an estimator that does not learn its rounds.
   */
  record FoldResult(
      int paramIndex,
      int fold,
      double value,
      long trainRows,
      long validationRows,
      double fitSeconds,
      int keptRounds) {}

  /** All results and the chosen parameter map. */
  record Outcome(List<FoldResult> folds, double[] meanByParam, int bestIndex) {
    /**
     * The rounds to boost when the chosen parameters are refitted: the mean over folds of the
     * rounds each fold kept, rounded; empty when the folds did not learn their rounds.
     */
    OptionalInt learnedRounds() {
      List<FoldResult> chosen = folds.stream().filter(f -> f.paramIndex() == bestIndex).toList();
      if (chosen.isEmpty() || chosen.stream().anyMatch(f -> f.keptRounds() == 0)) {
        return OptionalInt.empty();
      }
      double mean = chosen.stream().mapToInt(FoldResult::keptRounds).average().orElseThrow();
      return OptionalInt.of((int) Math.round(mean));
    }
  }

  private final TaskType task;
  private final String metric;
  private final int classCount;
  private final int folds;
  private final long seed;
  private final int parallelism;
  private final int earlyStoppingRounds;
  private final double maxSeconds;

  CrossValidation(
      TaskType task,
      String metric,
      int classCount,
      int folds,
      long seed,
      int parallelism,
      int earlyStoppingRounds,
      double maxSeconds) {
    this.task = task;
    this.metric = metric;
    this.classCount = classCount;
    this.folds = folds;
    this.seed = seed;
    this.parallelism = parallelism;
    this.earlyStoppingRounds = earlyStoppingRounds;
    this.maxSeconds = maxSeconds;
  }

  /**
   * Cross-validates {@code estimator} over the {@code candidates} (indices into {@code grid}) on
   * prepared rows (features and target, cached), one candidate's folds after another's. With a time
   * budget, a candidate not started when it runs out is skipped (the first always runs): its folds
   * have no result and its mean is NaN.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  Outcome run(Estimator estimator, ParamMap[] grid, int[] candidates, Dataset<Row> prepared) {
    Dataset<Row> withFold =
        prepared.withColumn(
            FOLD, pmod(xxhash64(col(Columns.ROW_ID), lit(seed)), lit((long) folds)));
    long[] rowsByFold = rowsByFold(withFold);
    long total = java.util.Arrays.stream(rowsByFold).sum();
    Admission admission = new Admission(System.nanoTime());
    List<Future<FoldResult>> futures = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      for (int candidate = 0; candidate < candidates.length; candidate++) {
        int paramIndex = candidates[candidate];
        int order = candidate;
        for (int fold = 0; fold < folds; fold++) {
          int foldIndex = fold;
          Dataset<Row> train = withFold.where(col(FOLD).notEqual(fold));
          Dataset<Row> validation = withFold.where(col(FOLD).equalTo(fold));
          futures.add(
              pool.submit(
                  () -> {
                    if (!admission.admits(order)) {
                      return null;
                    }
                    long start = System.nanoTime();
                    Model<?> model =
                        Estimators.fitFold(
                            estimator, grid[paramIndex], train, validation, earlyStoppingRounds);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    // Scored as the registered model will be: an XGBoost model through its
                    // stage, which densifies the sparse vectors it was trained on densified.
                    double value =
                        Metrics.evaluate(
                            task,
                            XGBoostStage.wrap(model).transform(validation),
                            metric,
                            classCount);
                    return new FoldResult(
                        paramIndex,
                        foldIndex,
                        value,
                        total - rowsByFold[foldIndex],
                        rowsByFold[foldIndex],
                        seconds,
                        Estimators.keptRounds(model).orElse(0));
                  }));
        }
      }
      List<FoldResult> results = new ArrayList<>();
      for (Future<FoldResult> future : futures) {
        FoldResult result = future.get();
        if (result != null) {
          results.add(result);
        }
      }
      return outcome(grid.length, results);
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
  }

  /** Rows per fold, in one pass. */
  private long[] rowsByFold(Dataset<Row> withFold) {
    long[] rows = new long[folds];
    for (Row row : withFold.groupBy(col(FOLD)).count().collectAsList()) {
      rows[(int) row.getLong(0)] = row.getLong(1);
    }
    return rows;
  }

  /**
   * Which candidates run under the time budget: the first caller for a candidate decides for all
   * its folds, so a candidate runs on every fold or on none.
   */
  private final class Admission {
    private final long start;
    private final java.util.Map<Integer, Boolean> decided = new java.util.HashMap<>();

    Admission(long start) {
      this.start = start;
    }

    synchronized boolean admits(int candidate) {
      return decided.computeIfAbsent(
          candidate,
          c -> c == 0 || maxSeconds <= 0 || (System.nanoTime() - start) / 1e9 < maxSeconds);
    }
  }

  private Outcome outcome(int gridSize, List<FoldResult> results) {
    double[] means = new double[gridSize];
    java.util.Arrays.fill(means, Double.NaN);
    for (FoldResult result : results) {
      int i = result.paramIndex();
      means[i] = (Double.isNaN(means[i]) ? 0 : means[i]) + result.value() / folds;
    }
    boolean larger = Metrics.largerIsBetter(metric);
    int best = -1;
    for (int i = 0; i < means.length; i++) {
      // Candidates not run are NaN; ties keep the earlier parameter map, as CrossValidator does.
      if (!Double.isNaN(means[i])
          && (best < 0 || (larger ? means[i] > means[best] : means[i] < means[best]))) {
        best = i;
      }
    }
    return new Outcome(results, means, best);
  }
}
