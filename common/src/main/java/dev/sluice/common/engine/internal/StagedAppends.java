package dev.sluice.common.engine.internal;

import static dev.sluice.common.engine.internal.DeltaLogTables.commitAppend;
import static dev.sluice.common.engine.internal.DeltaLogTables.committedBefore;
import static dev.sluice.common.engine.internal.DeltaLogTables.scalaList;
import static dev.sluice.common.engine.internal.DeltaLogTables.writeFiles;
import static java.util.Objects.requireNonNull;

import dev.sluice.common.engine.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * An append split at its commit, in Delta's own transaction: the rows' files are written, and the
 * caller decides (with the counts the write produced) whether to commit them or delete them.
 * Delta's public writers write and commit in one call, so a batch over its quarantine limit could
 * only be undone by a second commit. StagedAppendsTest compares a staged commit with the DataFrame
 * writer's idempotent append, and checks that a deleted stage leaves nothing.
 */
public final class StagedAppends {
  private final SparkSession spark;

  public StagedAppends(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** A new table's definition: comment, columns (with their comments), partitions, properties. */
  public record NewTable(
      String comment,
      StructType schema,
      List<String> partitionColumns,
      Map<String, String> properties) {
    public NewTable {
      requireNonNull(comment, "comment is null");
      requireNonNull(schema, "schema is null");
      partitionColumns = List.copyOf(partitionColumns);
      properties = Map.copyOf(properties);
    }
  }

  /**
   * Writes {@code rows}' files for an append to the table at {@code path} as writer {@code appId}'s
   * transaction, without committing them. A missing table is created by the commit itself with
   * {@code table}'s definition.
   *
   * @return the staged files; or empty when Delta's own transaction cannot take the rows (they do
   *     not have the table's columns), and the caller computes and appends them by Delta's public
   *     append; or a stage holding nothing when the writer already committed this transaction
   */
  public Optional<Staged> stage(
      String path, NewTable table, Dataset<Row> rows, String appId, long txnVersion) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path).startTransaction();
    boolean newTable = txn.snapshot().version() < 0;
    if (newTable && Schemas.sameColumns(rows.schema(), table.schema())) {
      txn.updateMetadataForNewTable(metadata(table));
      txn.readTxn().$plus$eq(appId);
      return Optional.of(
          new Staged(path, table, appId, txnVersion, txn, true, writeFiles(txn, rows)));
    }
    Optional<Boolean> committed = committedBefore(txn, rows.schema(), appId, txnVersion);
    if (committed.isEmpty()) {
      return Optional.empty();
    }
    if (committed.get()) {
      return Optional.of(new Staged(path, table, appId, txnVersion, null, false, List.of()));
    }
    return Optional.of(
        new Staged(path, table, appId, txnVersion, txn, false, writeFiles(txn, rows)));
  }

  private static Metadata metadata(NewTable table) {
    return Metadata.apply(
        java.util.UUID.randomUUID().toString(),
        null,
        table.comment(),
        Metadata.apply$default$4(),
        table.schema().json(),
        scalaList(table.partitionColumns()),
        scala.collection.immutable.Map.from(
            scala.jdk.javaapi.CollectionConverters.asScala(table.properties())),
        Option.apply(System.currentTimeMillis()));
  }

  /** Files written in a Delta transaction and not yet committed. */
  public final class Staged {
    private final String path;
    private final NewTable table;
    private final String appId;
    private final long txnVersion;
    private final OptimisticTransaction txn;
    private final boolean newTable;
    private final List<Action> files;

    private Staged(
        String path,
        NewTable table,
        String appId,
        long txnVersion,
        OptimisticTransaction txn,
        boolean newTable,
        List<Action> files) {
      this.path = path;
      this.table = table;
      this.appId = appId;
      this.txnVersion = txnVersion;
      this.txn = txn;
      this.newTable = newTable;
      this.files = files;
    }

    /** Whether the writer had already committed this transaction: nothing is staged. */
    public boolean alreadyCommitted() {
      return txn == null;
    }

    /**
     * Commits the files. Delta's conflict check fails a commit before it lands, so only a conflict
     * deletes them; another writer creating the same new table first is no conflict: the files go
     * to the table it made.
     *
     * @return the version committed, or empty when the writer had already committed this
     *     transaction
     */
    public Optional<Long> commit() {
      if (txn == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(commitAppend(txn, files, appId, txnVersion));
      } catch (DeltaConcurrentModificationException e) {
        if (!newTable) {
          delete();
          throw e;
        }
        return commitToCreatedTable(e);
      }
    }

    private Optional<Long> commitToCreatedTable(DeltaConcurrentModificationException conflict) {
      OptimisticTransaction retry = DeltaLog.forTable(spark, path).startTransaction();
      if (!Schemas.sameColumns(table.schema(), retry.snapshot().schema())) {
        delete();
        throw conflict;
      }
      if (appId != null && retry.txnVersion(appId) >= txnVersion) {
        delete();
        return Optional.empty();
      }
      try {
        return Optional.of(commitAppend(retry, files, appId, txnVersion));
      } catch (DeltaConcurrentModificationException e) {
        delete();
        throw e;
      }
    }

    /**
     * Deletes the written files; for a table that the commit would have created, also what the
     * write left of it (a file without rows, empty folders).
     */
    public void delete() {
      try {
        FileSystem fs = new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
        for (Action action : files) {
          fs.delete(((AddFile) action).absolutePath(txn.deltaLog()), false);
        }
        if (txn == null) {
          return;
        }
        if (newTable && version(path) < 0) {
          Path root = new Path(path);
          deleteFilesWithoutRows(fs, root);
          deleteEmptyDirectories(fs, root);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot delete the uncommitted files of the table at "
                + path
                + ": they are not part of the table, and Delta's VACUUM removes them",
            e);
      }
    }
  }

  /**
   * Deletes the Parquet files without rows under a table that has no commit yet. A write of no rows
   * still writes one such file, to keep the schema, and Delta leaves it out of the files it lists
   * for the commit; no commit refers to a file without rows, so deleting one removes nothing.
   */
  private void deleteFilesWithoutRows(FileSystem fs, Path table) throws IOException {
    if (!fs.exists(table)) {
      return;
    }
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files =
        fs.listFiles(table, true);
    List<Path> empty = new ArrayList<>();
    while (files.hasNext()) {
      Path file = files.next().getPath();
      if (file.getName().endsWith(".parquet") && !file.getName().startsWith(".")) {
        try (org.apache.parquet.hadoop.ParquetFileReader reader =
            org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                    file, spark.sparkContext().hadoopConfiguration()))) {
          if (reader.getRecordCount() == 0) {
            empty.add(file);
          }
        }
      }
    }
    for (Path file : empty) {
      fs.delete(file, false);
    }
  }

  /** Deletes {@code dir} and its subdirectories if they hold no file. */
  private static boolean deleteEmptyDirectories(FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return true;
    }
    boolean empty = true;
    for (FileStatus child : fs.listStatus(dir)) {
      empty &= child.isDirectory() && deleteEmptyDirectories(fs, child.getPath());
    }
    return empty && fs.delete(dir, false);
  }

  private long version(String path) {
    return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty()).version();
  }
}
