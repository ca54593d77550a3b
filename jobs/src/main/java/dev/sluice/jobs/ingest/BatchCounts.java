package dev.sluice.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import dev.sluice.common.Columns;
import dev.sluice.common.parse.LineKind;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A batch's line counts by kind, and the quarantine reasons' counts once they are known. */
record BatchCounts(Map<String, Long> byKind, Map<String, Long> reasons) {
  /** No line read. */
  static final BatchCounts NONE = new BatchCounts(Map.of(), Map.of());

  /** The counts by kind of a parse, with no reasons yet. */
  static BatchCounts of(Map<LineKind, Long> counts) {
    Map<String, Long> byKind = new TreeMap<>();
    counts.forEach(
        (kind, count) -> {
          if (count > 0) {
            byKind.put(kind.name(), count);
          }
        });
    return new BatchCounts(byKind, Map.of());
  }

  /** How many quarantined rows (of the quarantine table's columns) give each reason. */
  static Map<String, Long> reasons(Dataset<Row> quarantined) {
    Map<String, Long> reasons = new TreeMap<>();
    for (Row row :
        quarantined
            .select(explode(col(Columns.REASONS)).as("reason"))
            .groupBy("reason")
            .count()
            .collectAsList()) {
      reasons.put(row.getString(0), row.getLong(1));
    }
    return reasons;
  }

  BatchCounts withReasons(Map<String, Long> reasons) {
    return new BatchCounts(byKind, reasons);
  }

  long of(LineKind kind) {
    return byKind.getOrDefault(kind.name(), 0L);
  }

  long accepted() {
    return of(LineKind.ACCEPTED);
  }

  long quarantined() {
    return of(LineKind.QUARANTINED);
  }

  /** Data rows: accepted or quarantined, not skipped. */
  long dataRows() {
    return accepted() + quarantined();
  }

  long skipped() {
    return of(LineKind.BLANK) + of(LineKind.COMMENT) + of(LineKind.HEADER);
  }

  Map<String, Long> skippedByKind() {
    Map<String, Long> skipped = new TreeMap<>();
    for (LineKind kind : LineKind.values()) {
      if (kind.isSkipped() && of(kind) > 0) {
        skipped.put(kind.name(), of(kind));
      }
    }
    return skipped;
  }

  long total() {
    return byKind.values().stream().mapToLong(Long::longValue).sum();
  }
}
