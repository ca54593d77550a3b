package dev.sluice.common.features;

/**
 * Which raw rows a training snapshot may hold: the newest {@code batches} ingest batches and the
 * rows ingested within {@code days} days before the newest row; 0 means no limit on that count.
 */
public record TrainingWindow(int batches, int days) {
  /** Every raw row. */
  public static final TrainingWindow ALL = new TrainingWindow(0, 0);

  public TrainingWindow {
    if (batches < 0 || days < 0) {
      throw new IllegalArgumentException("batches and days must be 0 or more");
    }
  }

  /** Whether the window keeps every row. */
  public boolean all() {
    return batches == 0 && days == 0;
  }

  /** The window in words, for logs and job_runs. */
  public String describe() {
    if (all()) {
      return "all rows";
    }
    StringBuilder words = new StringBuilder();
    if (batches > 0) {
      words.append("the newest ").append(batches).append(batches == 1 ? " batch" : " batches");
    }
    if (days > 0) {
      words.append(words.isEmpty() ? "" : ", ").append("the last ").append(days).append(" days");
    }
    return words.toString();
  }
}
