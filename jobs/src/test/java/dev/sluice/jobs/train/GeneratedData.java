package dev.sluice.jobs.train;

import dev.sluice.common.dataset.TaskType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded tabular data sets for each task: two numeric columns (one with 10% missing), a categorical
 * column with a rare level and missing values, and a target that depends on all three.
 */
public final class GeneratedData {
  private GeneratedData() {}

  static final String[] LEVELS = {"a", "b", "c", "d"};

  static void write(Path file, TaskType task, int rows, long seed) throws IOException {
    write(file, task, rows, seed, 0.0, 0.0);
  }

  /**
   * As {@link #write(Path, TaskType, int, long)}, with x1 shifted by {@code x1Shift} and level "a"
   * drawn first with probability {@code aFirst} (0.262 raises its share from 23.75% to 43.75%: a
   * 20-point shift).
   */
  public static void write(
      Path file, TaskType task, int rows, long seed, double x1Shift, double aFirst)
      throws IOException {
    Random random = new Random(seed);
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("x1,x2,c,y\n");
      for (int i = 0; i < rows; i++) {
        double x1 = random.nextGaussian() + x1Shift;
        double x2 = random.nextGaussian();
        String c =
            i % 199 == 0
                ? "rare"
                : random.nextDouble() < 0.05
                    ? ""
                    : random.nextDouble() < aFirst ? "a" : LEVELS[random.nextInt(LEVELS.length)];
        double effect =
            switch (c) {
              case "a" -> 1.0;
              case "b" -> -1.0;
              default -> 0.0;
            };
        double score = 1.5 * x1 - x2 + effect + 0.5 * random.nextGaussian();
        String label =
            switch (task) {
              case BINARY -> score > 0 ? "yes" : "no";
              case MULTICLASS -> score < -1 ? "low" : score < 1 ? "mid" : "high";
              case REGRESSION -> String.format(Locale.ROOT, "%.4f", 10 + 2 * score);
            };
        String x2Text = random.nextDouble() < 0.1 ? "" : String.format(Locale.ROOT, "%.4f", x2);
        out.write(String.format(Locale.ROOT, "%.4f,%s,%s,%s%n", x1, x2Text, c, label));
      }
    }
  }

  /** The data-set file of a generated set written to {@code file}. */
  static String spec(String name, TaskType task, Path file) {
    String label =
        switch (task) {
          case BINARY -> "label { classes = [no, yes], positive-class = yes }";
          case MULTICLASS -> "label { classes = [low, mid, high] }";
          case REGRESSION -> "label {}";
        };
    String labelType = task == TaskType.REGRESSION ? ", type = double" : "";
    return """
        sluice.dataset {
          name = %s
          csv { delimiter = ",", header = true }
          sources { train = ["%s"] }
          task = %s
          %s
          columns = [
            { name = x1, role = numeric }
            { name = x2, role = numeric }
            { name = c, role = categorical }
            { name = y, role = label%s }
          ]
        }
        sluice.features.categorical.min-count = 5
        sluice.train.folds = 2
        sluice.train.grids {
          logistic-regression { regParam = [0.0, 1000.0], elasticNetParam = [1.0], maxIter = [50] }
          linear-regression { regParam = [0.0, 1000.0], elasticNetParam = [1.0], maxIter = [50] }
          random-forest { numTrees = [10], maxDepth = [4] }
          # 3 boosting rounds take the same code path as more; the regression test, the only one to
          # train gbt, checks that it is on the leaderboard, not how good it is.
          gbt { maxIter = [3], maxDepth = [3] }
        }
        """
        .formatted(name, file, task.name().toLowerCase(Locale.ROOT), label, labelType);
  }
}
