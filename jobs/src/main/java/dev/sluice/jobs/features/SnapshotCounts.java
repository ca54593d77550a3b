package dev.sluice.jobs.features;

import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Columns;
import dev.sluice.common.engine.internal.ObservedMetrics;
import dev.sluice.common.settings.FeaturesSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A snapshot's counts: rows by split and rows labelled late, observed as the snapshot is written
 * and recorded as tags of its commit, so a later run reads them from the log.
 */
final class SnapshotCounts {
  private SnapshotCounts() {}

  /** The commit tag prefix of a snapshot's row count by split; {@code <prefix>total} is the sum. */
  static final String ROWS_TAG = "sluice.rows.";

  /** The commit tag of the labels table version a snapshot's delayed labels came from. */
  static final String LABELS_VERSION_TAG = "sluice.labels.version";

  /** The commit tag (and observed metric) of the snapshot rows whose label arrived late. */
  static final String LATE_ROWS_TAG = "sluice.labels.late_rows";

  /** How long to wait for the write's observed counts (see {@link ObservedMetrics#await}). */
  static final long OBSERVED_WAIT_SECONDS = 60;

  /**
   * The observed rows by split, without the splits that got none (as a grouped count has it); empty
   * when they did not arrive in time, and the caller counts the snapshot instead.
   */
  static Optional<Map<String, Long>> observedCounts(ObservedMetrics splits) {
    Optional<Row> observed = splits.await(OBSERVED_WAIT_SECONDS);
    if (observed.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Long> counts = new TreeMap<>();
    for (String split : FeaturesSettings.SPLITS) {
      long count = observed.get().getLong(observed.get().fieldIndex(split));
      if (count > 0) {
        counts.put(split, count);
      }
    }
    return Optional.of(counts);
  }

  /** The observed rows labelled late; empty when the metrics did not arrive in time. */
  static Optional<Long> observedLate(ObservedMetrics splits) {
    return splits
        .await(OBSERVED_WAIT_SECONDS)
        .map(row -> row.getLong(row.fieldIndex(LATE_ROWS_TAG)));
  }

  static Map<String, String> tagsOf(Map<String, Long> counts) {
    Map<String, String> tags = new TreeMap<>();
    counts.forEach((split, count) -> tags.put(ROWS_TAG + split, Long.toString(count)));
    tags.put(
        ROWS_TAG + "total",
        Long.toString(counts.values().stream().mapToLong(Long::longValue).sum()));
    return tags;
  }

  /** The counts a snapshot's commit recorded, if it recorded them. */
  static Optional<Map<String, Long>> countsOf(Map<String, String> tags) {
    if (!tags.containsKey(ROWS_TAG + "total")) {
      return Optional.empty();
    }
    Map<String, Long> counts = new TreeMap<>();
    tags.forEach(
        (name, value) -> {
          if (name.startsWith(ROWS_TAG) && !name.equals(ROWS_TAG + "total")) {
            counts.put(name.substring(ROWS_TAG.length()), Long.parseLong(value));
          }
        });
    return Optional.of(counts);
  }

  static Map<String, Long> splitCounts(Dataset<Row> snapshot) {
    Map<String, Long> counts = new TreeMap<>();
    List<Row> rows = snapshot.groupBy(col(Columns.SPLIT)).count().collectAsList();
    rows.forEach(row -> counts.put(row.getString(0), row.getLong(1)));
    return counts;
  }
}
