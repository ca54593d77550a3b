package dev.sluice.common.lakehouse;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.engine.internal.DeltaLogTables;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What the lakehouse tables' Delta logs record of each commit, read without scanning a table: the
 * writers' transactions, a commit's tags and time, the rows it wrote. Delta Kernel reads what its
 * public API gives; {@link DeltaLogTables} what only Delta's own classes read (each use with a twin
 * test).
 */
public final class TableLog {
  private final KernelTables kernel;
  private final CommitFiles commits;
  private final Supplier<DeltaLogTables> deltaLog;
  private final UnaryOperator<String> paths;

  TableLog(KernelTables kernel, Supplier<DeltaLogTables> deltaLog, UnaryOperator<String> paths) {
    this.kernel = requireNonNull(kernel, "kernel is null");
    this.commits = kernel.commitFiles();
    this.deltaLog = requireNonNull(deltaLog, "deltaLog is null");
    this.paths = requireNonNull(paths, "paths is null");
  }

  private String path(String table) {
    return paths.apply(table);
  }

  /**
   * The last version recorded for a writer (Delta's {@code txnAppId}), if that writer ever
   * committed to the table. A retried write checks it to know whether its earlier attempt landed.
   */
  public OptionalLong transactionVersion(String table, String appId) {
    if (kernel.version(path(table)).isEmpty()) {
      return OptionalLong.empty();
    }
    // The checksum lists the writers of Spark's commits; Kernel looks up those of its own.
    return deltaLog
        .get()
        .checksumTransaction(path(table), appId)
        .orElseGet(() -> kernel.transactionVersion(path(table), appId));
  }

  /**
   * Every writer's last transaction (Delta's {@code txnAppId} to its version) on the table, empty
   * when the table does not exist.
   */
  public Map<String, Long> transactions(String table) {
    OptionalLong latest = kernel.version(path(table));
    if (latest.isEmpty()) {
      return Map.of();
    }
    // The latest checksum lists them; without one (or past its limit), Delta replays the log.
    return commits
        .checksumTransactions(path(table), latest.getAsLong())
        .orElseGet(() -> deltaLog.get().transactions(path(table)));
  }

  /** The tags of the commit that made {@code version} of the table; empty when it has none. */
  public Map<String, String> commitTags(String table, long version) {
    return commits
        .commit(path(table), version)
        .map(CommitFiles.CommitDetails::tags)
        .orElse(Map.of());
  }

  /** The tag (userMetadata) of the table's latest commit, if the table exists and has one. */
  public Optional<String> latestTag(String table) {
    OptionalLong latest = kernel.version(path(table));
    return latest.isEmpty() ? Optional.empty() : tagAt(table, latest.getAsLong());
  }

  /** The tag (userMetadata) of the commit that made {@code version} of the table. */
  public Optional<String> tagAt(String table, long version) {
    return commits.commit(path(table), version).flatMap(CommitFiles.CommitDetails::userMetadata);
  }

  /**
   * When {@code version} of the table was committed, as Kernel reads it from the log (the commit's
   * in-commit timestamp, else its file's modification time): no Spark job.
   */
  public java.time.Instant commitTime(String table, long version) {
    return kernel.commitTime(path(table), version);
  }

  /**
   * The rows that the commit making {@code version} of the table wrote, from the commit's own
   * operation metrics ({@code numOutputRows}), never a scan of the table. Empty when the commit
   * recorded no such metric.
   */
  public OptionalLong writtenRows(String table, long version) {
    Optional<String> rows =
        commits.commit(path(table), version).map(commit -> commit.metrics().get("numOutputRows"));
    return rows.isPresent() ? OptionalLong.of(Long.parseLong(rows.get())) : OptionalLong.empty();
  }

  /**
   * The rows that the table's commits after {@code version}, up to its latest, added: the count of
   * the latest version minus that of {@code version}, taken from each commit's own record (a blind
   * append and its {@code numOutputRows}), never a scan. Empty when one of those commits did
   * anything else (a delete, an overwrite, a compaction, a change of properties) or did not record
   * its rows, when its log file is gone, and when the table has no {@code version}: the caller
   * counts the rows then.
   */
  public OptionalLong appendedRows(String table, long version) {
    OptionalLong latest = kernel.version(path(table));
    if (latest.isEmpty() || version < 0 || version > latest.getAsLong()) {
      return OptionalLong.empty();
    }
    Optional<List<CommitFiles.CommitDetails>> appended =
        commits.commits(path(table), version + 1, latest.getAsLong());
    if (appended.isEmpty()) {
      return OptionalLong.empty();
    }
    long rows = 0;
    for (CommitFiles.CommitDetails commit : appended.get()) {
      String written = commit.metrics().get("numOutputRows");
      if (!commit.blindAppend() || written == null) {
        return OptionalLong.empty();
      }
      rows += Long.parseLong(written);
    }
    return OptionalLong.of(rows);
  }
}
