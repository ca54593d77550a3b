package dev.sluice.jobs.train;

import dev.sluice.common.dataset.TaskType;
import java.io.IOException;
import java.nio.file.Path;

/** A generated data set written once under a test's folder, for tests outside this package. */
public final class TrainTestData {
  public static final int ROWS = 600;

  private TrainTestData() {}

  /**
   * Writes the generated file of {@code task} (if not there yet) and returns its data-set HOCON.
   */
  public static String spec(Path dir, TaskType task) throws IOException {
    Path file = dir.resolve(task.name().toLowerCase(java.util.Locale.ROOT) + ".csv");
    if (!file.toFile().exists()) {
      GeneratedData.write(file, task, ROWS, 11);
    }
    return GeneratedData.spec("gen", task, file);
  }
}
