package dev.sluice.common.engine.internal;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.engine.Schemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * What Sluice does with Delta's own transaction and log classes ({@code
 * org.apache.spark.sql.delta}, not a public API), each because Delta's public path costs a cold JVM
 * seconds of log replay in a Spark job for the same answer. Each use has a twin test
 * (DeltaLogTablesTest) that runs the public path on the same table and compares:
 *
 * <ul>
 *   <li>writers' transactions read from the latest checksum file (public: Delta Kernel's
 *       transaction builder, which refuses a version a writer committed);
 *   <li>an idempotent append as Delta's transaction (public: the DataFrame writer's {@code
 *       txnAppId}/{@code txnVersion} append); the append staged before its commit is {@link
 *       StagedAppends};
 *   <li>a tagged overwrite that removes the files the checksum lists (public: the DataFrame
 *       writer's overwrite with {@code userMetadata});
 *   <li>a small table's rows read from the files its checksum lists (public: Delta's scan).
 * </ul>
 */
public final class DeltaLogTables {
  private final SparkSession spark;

  public DeltaLogTables(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  private Snapshot snapshot(String path) {
    return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty());
  }

  /** The latest committed version of the table at {@code path}, or -1 when there is none. */
  public long version(String path) {
    return snapshot(path).version();
  }

  /**
   * The writer's last transaction as the latest checksum file lists it; empty when the checksum
   * lists no transactions (no checksum, or one Delta Kernel wrote). Reading it costs no Spark job,
   * where Delta's {@code Snapshot.transactions()} replays the whole log.
   */
  public Optional<OptionalLong> checksumTransaction(String path, String appId) {
    return checksumTransaction(snapshot(path), appId);
  }

  private static Optional<OptionalLong> checksumTransaction(Snapshot snapshot, String appId) {
    Option<scala.collection.immutable.Seq<SetTransaction>> known = checksumTransactions(snapshot);
    if (known.isEmpty()) {
      return Optional.empty();
    }
    scala.collection.Iterator<SetTransaction> transactions = known.get().iterator();
    while (transactions.hasNext()) {
      SetTransaction transaction = transactions.next();
      if (transaction.appId().equals(appId)) {
        return Optional.of(OptionalLong.of(transaction.version()));
      }
    }
    return Optional.of(OptionalLong.empty());
  }

  private static Option<scala.collection.immutable.Seq<SetTransaction>> checksumTransactions(
      Snapshot snapshot) {
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    return checksum.isDefined() ? checksum.get().setTransactions() : Option.empty();
  }

  /**
   * Every writer's last transaction on the table, from the latest checksum file when it lists them,
   * otherwise from Delta's log replay; empty when there is no table.
   */
  public Map<String, Long> transactions(String path) {
    Snapshot snapshot = snapshot(path);
    if (snapshot.version() < 0) {
      return Map.of();
    }
    Option<scala.collection.immutable.Seq<SetTransaction>> known = checksumTransactions(snapshot);
    scala.collection.Iterator<SetTransaction> transactions =
        known.isDefined() ? known.get().iterator() : snapshot.setTransactions().iterator();
    Map<String, Long> versions = new LinkedHashMap<>();
    while (transactions.hasNext()) {
      SetTransaction transaction = transactions.next();
      versions.put(transaction.appId(), transaction.version());
    }
    return versions;
  }

  /**
   * Appends as Delta's own transaction when the table exists and the rows have its columns (same
   * names and types; Delta's invariants still reject a null in a NOT NULL column), recording the
   * transactions {@code marks} returns for the rows written (-1 when the files' statistics do not
   * tell) in the same commit. Delta's append with {@code txnAppId} first asks the snapshot for the
   * writer's version, which replays the whole log; here the checksum answers, and the writer is
   * registered as read, so a concurrent commit by the same writer still fails this one with Delta's
   * {@code ConcurrentTransactionException}.
   *
   * @return empty when this path does not apply (the caller takes Delta's append); otherwise the
   *     version committed, or empty when the writer had already committed this transaction
   */
  public Optional<Optional<Long>> appendInTransaction(
      Dataset<Row> rows,
      String path,
      String appId,
      long txnVersion,
      LongFunction<Map<String, Long>> marks) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path).startTransaction();
    Optional<Boolean> committed = committedBefore(txn, rows.schema(), appId, txnVersion);
    if (committed.isEmpty()) {
      return Optional.empty();
    }
    if (committed.get()) {
      return Optional.of(Optional.empty());
    }
    List<Action> files = writeFiles(txn, rows);
    long written = 0;
    for (Action file : files) {
      Option<Object> records =
          file instanceof AddFile add ? add.numLogicalRecords() : Option.apply(0L);
      if (records.isEmpty()) {
        written = -1;
        break;
      }
      written += (Long) records.get();
    }
    List<Action> actions = new ArrayList<>(files);
    for (var mark : marks.apply(written).entrySet()) {
      txn.readTxn().$plus$eq(mark.getKey());
      actions.add(
          new SetTransaction(
              mark.getKey(), mark.getValue(), Option.apply(System.currentTimeMillis())));
    }
    return Optional.of(Optional.of(commitAppend(txn, actions, appId, txnVersion)));
  }

  /**
   * Whether writer {@code appId} already committed {@code txnVersion}, the writer registered as
   * read by {@code txn}; empty when Delta's own transaction cannot take the append: the table does
   * not exist, or the rows do not have the table's columns.
   */
  static Optional<Boolean> committedBefore(
      OptimisticTransaction txn, StructType rows, String appId, long txnVersion) {
    Snapshot snapshot = txn.snapshot();
    if (!Schemas.sameColumns(rows, snapshot.schema())) {
      return Optional.empty();
    }
    if (appId == null) {
      return Optional.of(false);
    }
    Optional<OptionalLong> known = checksumTransaction(snapshot, appId);
    if (known.isEmpty()) {
      // No transactions in the checksum: the log replay Delta's own append would do.
      return Optional.of(txn.txnVersion(appId) >= txnVersion);
    }
    txn.readTxn().$plus$eq(appId);
    return Optional.of(known.get().isPresent() && known.get().getAsLong() >= txnVersion);
  }

  /** Commits files as writer {@code appId}'s transaction (none when null): a blind append. */
  static long commitAppend(
      OptimisticTransaction txn, List<Action> files, String appId, long txnVersion) {
    List<Action> actions = new ArrayList<>(files);
    if (appId != null) {
      actions.add(new SetTransaction(appId, txnVersion, Option.apply(System.currentTimeMillis())));
    }
    return txn.commit(scalaList(actions), write(SaveMode.Append, null));
  }

  static List<Action> writeFiles(OptimisticTransaction txn, Dataset<Row> rows) {
    List<Action> actions = new ArrayList<>();
    scala.collection.Iterator<FileAction> files = txn.writeFiles(rows).iterator();
    while (files.hasNext()) {
      actions.add(files.next());
    }
    return actions;
  }

  /**
   * Replaces the table's content in Delta's own transaction, when the table's checksum lists its
   * files and the rows have its columns: remove every listed file, add the written ones, tag the
   * commit ({@code userMetadata}) and record {@code commitTags} in its {@code tags}. Delta's
   * overwrite first replays the log to list the files it removes. The transaction reads the whole
   * table, as Delta's overwrite does, so a concurrent write to the table still fails this commit.
   *
   * @return the version committed, or empty when this path does not apply
   */
  public OptionalLong overwriteInTransaction(
      Dataset<Row> rows, String path, String tag, Supplier<Map<String, String>> commitTags) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path).startTransaction();
    Snapshot snapshot = txn.snapshot();
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    if (checksum.isEmpty()
        || checksum.get().allFiles().isEmpty()
        || !snapshot.metadata().partitionColumns().isEmpty()
        || !Schemas.sameColumns(rows.schema(), snapshot.schema())) {
      return OptionalLong.empty();
    }
    txn.readWholeTable();
    List<Action> actions = writeFiles(txn, rows);
    long now = System.currentTimeMillis();
    scala.collection.Iterator<AddFile> old = checksum.get().allFiles().get().iterator();
    while (old.hasNext()) {
      actions.add(old.next().removeWithTimestamp(now, true));
    }
    return OptionalLong.of(
        txn.commit(
            scalaList(actions),
            write(SaveMode.Overwrite, tag),
            scala.collection.immutable.Map$.MODULE$.from(
                scala.jdk.javaapi.CollectionConverters.asScala(commitTags.get()))));
  }

  /** Delta's WRITE operation, as its DataFrame writer records it, with an optional tag. */
  private static DeltaOperations.Write write(SaveMode mode, String tag) {
    scala.collection.immutable.Seq<String> noPartitions = scalaList(List.of());
    return new DeltaOperations.Write(
        mode,
        Option.apply(noPartitions),
        Option.empty(),
        Option.apply(tag),
        Option.empty(),
        Option.empty(),
        Option.empty(),
        Option.empty(),
        Option.empty());
  }

  /**
   * The table's rows at {@code version} (the latest when empty), through Delta's own {@code
   * createDataFrame} over the files the version's checksum lists (Delta lists them below 50 files);
   * empty when it lists none or a file has a deletion vector, and the caller takes Delta's scan.
   * Delta's scan first replays the log in a Spark job to list the files. What the list loses is
   * file skipping by column statistics; Parquet's row-group statistics still prune a filtered read.
   */
  public Optional<Dataset<Row>> readListedFiles(String path, OptionalLong version) {
    Snapshot latest = snapshot(path);
    if (latest.version() < 0) {
      return Optional.empty();
    }
    Snapshot snapshot =
        version.isEmpty() || version.getAsLong() == latest.version()
            ? latest
            : latest
                .deltaLog()
                .getSnapshotAt(version.getAsLong(), Option.empty(), Option.empty(), false);
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    if (checksum.isEmpty() || checksum.get().allFiles().isEmpty()) {
      return Optional.empty();
    }
    scala.collection.immutable.Seq<AddFile> files = checksum.get().allFiles().get();
    scala.collection.Iterator<AddFile> each = files.iterator();
    while (each.hasNext()) {
      if (each.next().deletionVector() != null) {
        return Optional.empty();
      }
    }
    return Optional.of(snapshot.deltaLog().createDataFrame(snapshot, files, false, Option.empty()));
  }

  static <T> scala.collection.immutable.Seq<T> scalaList(List<T> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
  }
}
