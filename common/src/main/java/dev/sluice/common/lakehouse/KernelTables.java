package dev.sluice.common.lakehouse;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/**
 * The small tables (registry, logs, job runs, profiles) read and appended on the driver through
 * Delta Kernel's public API: snapshot reads, and transactions with Delta's transaction identifiers
 * for idempotent appends. No query planning and no Spark job, which a cold JVM pays seconds for.
 *
 * <p>Kernel does not enforce NOT NULL, so an append checks it first; Kernel writes Parquet with the
 * file system's permissions from the Hadoop configuration given (the session's, which carries the
 * umask), and compresses with Snappy as Spark's writer does.
 */
final class KernelTables {
  private static final String ENGINE_INFO = "Sluice";

  private final Engine engine;

  KernelTables(Configuration hadoopConfiguration) {
    Configuration conf = new Configuration(requireNonNull(hadoopConfiguration, "conf is null"));
    if (conf.get("parquet.compression") == null) {
      conf.set("parquet.compression", "SNAPPY");
    }
    this.engine = DefaultEngine.create(conf);
  }

  /** Commits' own information, read from their log files with this engine. */
  CommitFiles commitFiles() {
    return new CommitFiles(engine);
  }

  /** The table's latest snapshot, or empty when no table is at {@code path}. */
  private Optional<Snapshot> latest(String path) {
    try {
      return Optional.of(Table.forPath(engine, path).getLatestSnapshot(engine));
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }

  /** When {@code version} of the table at {@code path} was committed. */
  java.time.Instant commitTime(String path, long version) {
    return java.time.Instant.ofEpochMilli(
        Table.forPath(engine, path).getSnapshotAsOfVersion(engine, version).getTimestamp(engine));
  }

  /** The latest version of the table at {@code path}, if there is one. */
  OptionalLong version(String path) {
    Optional<Snapshot> snapshot = latest(path);
    return snapshot.isPresent()
        ? OptionalLong.of(snapshot.get().getVersion())
        : OptionalLong.empty();
  }

  /**
   * Every row of the table's latest version, as Spark rows with the table's schema; none when the
   * table does not exist.
   */
  List<Row> rows(String path) {
    Optional<Snapshot> snapshot = latest(path);
    if (snapshot.isEmpty()) {
      return List.of();
    }
    org.apache.spark.sql.types.StructType schema =
        (org.apache.spark.sql.types.StructType)
            org.apache.spark.sql.types.DataType.fromJson(snapshot.get().getSchema().toJson());
    Scan scan = snapshot.get().getScanBuilder().build();
    io.delta.kernel.data.Row scanState = scan.getScanState(engine);
    StructType physical = snapshot.get().getSchema();
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        FilteredColumnarBatch batch = files.next();
        try (CloseableIterator<io.delta.kernel.data.Row> each = batch.getRows()) {
          while (each.hasNext()) {
            io.delta.kernel.data.Row scanFile = each.next();
            readFile(scanState, scanFile, physical, schema, rows);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Delta table at " + path, e);
    }
    return rows;
  }

  /**
   * Whether the table at {@code path} exists and its latest version holds a data file: the log's
   * replay stops at the first one.
   */
  boolean hasFiles(String path) {
    Optional<Snapshot> snapshot = latest(path);
    if (snapshot.isEmpty()) {
      return false;
    }
    try (CloseableIterator<FilteredColumnarBatch> files =
        snapshot.get().getScanBuilder().build().getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<io.delta.kernel.data.Row> each = files.next().getRows()) {
          if (each.hasNext()) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Delta log of the table at " + path, e);
    }
  }

  private void readFile(
      io.delta.kernel.data.Row scanState,
      io.delta.kernel.data.Row scanFile,
      StructType physical,
      org.apache.spark.sql.types.StructType schema,
      List<Row> rows)
      throws IOException {
    // The scan file's "add" struct holds the file's path (relative to the table), size and time.
    io.delta.kernel.data.Row add = scanFile.getStruct(scanFile.getSchema().indexOf("add"));
    StructType addSchema = add.getSchema();
    String file = add.getString(addSchema.indexOf("path"));
    String tableRoot = scanFile.getString(scanFile.getSchema().indexOf("tableRoot"));
    FileStatus status =
        FileStatus.of(
            new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(tableRoot), file)
                .toString(),
            add.getLong(addSchema.indexOf("size")),
            add.getLong(addSchema.indexOf("modificationTime")));
    try (CloseableIterator<FileReadResult> read =
            engine
                .getParquetHandler()
                .readParquetFiles(single(status), physical, Optional.empty());
        CloseableIterator<FilteredColumnarBatch> logical =
            Scan.transformPhysicalData(engine, scanState, scanFile, data(read))) {
      while (logical.hasNext()) {
        FilteredColumnarBatch batch = logical.next();
        KernelValues.addRows(batch.getData(), batch.getSelectionVector(), schema, rows);
      }
    }
  }

  /**
   * Appends {@code rows} (of {@code rowSchema}) to the existing table at {@code path} as writer
   * {@code appId}'s transaction {@code txnVersion} (no writer when {@code appId} is null).
   *
   * @return the version committed, or empty when that writer already committed this version or a
   *     later one
   * @throws UnsupportedTableException when Kernel does not write tables of this one's features
   *     (CHECK constraints, generated or identity columns, column mapping): Spark's append must
   * @throws TableNotFoundException when there is no table at {@code path}
   */
  Optional<Long> append(
      String path,
      String table,
      org.apache.spark.sql.types.StructType rowSchema,
      List<Row> rows,
      String appId,
      long txnVersion) {
    TransactionBuilder builder =
        Table.forPath(engine, path).createTransactionBuilder(engine, ENGINE_INFO, Operation.WRITE);
    if (appId != null) {
      builder = builder.withTransactionId(engine, appId, txnVersion);
    }
    Transaction txn;
    try {
      txn = builder.build(engine);
    } catch (ConcurrentTransactionException e) {
      return Optional.empty();
    } catch (TableNotFoundException e) {
      throw e;
    } catch (KernelException e) {
      throw new UnsupportedTableException(e);
    }
    StructType schema = txn.getSchema(engine);
    checkNulls(table, schema, rowSchema, rows);
    io.delta.kernel.data.Row state = txn.getTransactionState(engine);
    Map<String, Literal> noPartition = Map.of();
    try {
      List<io.delta.kernel.data.Row> actions = new ArrayList<>();
      if (!rows.isEmpty()) {
        ColumnarBatch batch = KernelValues.batch(schema, rowSchema, rows);
        DataWriteContext context = Transaction.getWriteContext(engine, state, noPartition);
        try (CloseableIterator<FilteredColumnarBatch> physical =
                Transaction.transformLogicalData(
                    engine,
                    state,
                    single(new FilteredColumnarBatch(batch, Optional.empty())),
                    noPartition);
            CloseableIterator<DataFileStatus> files =
                engine
                    .getParquetHandler()
                    .writeParquetFiles(
                        context.getTargetDirectory(), physical, context.getStatisticsColumns());
            CloseableIterator<io.delta.kernel.data.Row> added =
                Transaction.generateAppendActions(engine, state, files, context)) {
          added.forEachRemaining(actions::add);
        }
      }
      TransactionCommitResult result =
          txn.commit(engine, CloseableIterable.inMemoryIterable(iterator(actions.iterator())));
      for (PostCommitHook hook : result.getPostCommitHooks()) {
        hook.threadSafeInvoke(engine);
      }
      return Optional.of(result.getVersion());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to the Delta table at " + path, e);
    }
  }

  /**
   * The last version writer {@code appId} committed to the table at {@code path}, if it did. Kernel
   * answers whether a writer committed a given version or a later one (its transaction builder
   * refuses to repeat one); versions are small counts, so a doubling search finds the last.
   */
  OptionalLong transactionVersion(String path, String appId) {
    if (latest(path).isEmpty() || !committed(path, appId, 0)) {
      return OptionalLong.empty();
    }
    long known = 0;
    long above = 1;
    while (committed(path, appId, above)) {
      known = above;
      above = above * 2;
    }
    while (above - known > 1) {
      long middle = known + (above - known) / 2;
      if (committed(path, appId, middle)) {
        known = middle;
      } else {
        above = middle;
      }
    }
    return OptionalLong.of(known);
  }

  /**
   * Whether writer {@code appId} committed version {@code txnVersion} or a later one to the table
   * at {@code path}; false when there is no table. Kernel's transaction builder refuses to repeat a
   * writer's version, and says so before anything is written.
   */
  boolean committed(String path, String appId, long txnVersion) {
    try {
      Table.forPath(engine, path)
          .createTransactionBuilder(engine, ENGINE_INFO, Operation.WRITE)
          .withTransactionId(engine, appId, txnVersion)
          .build(engine);
      return false;
    } catch (ConcurrentTransactionException e) {
      return true;
    } catch (TableNotFoundException e) {
      return false;
    }
  }

  /** Kernel writes a null into a NOT NULL column and the table becomes unreadable: refuse it. */
  private static void checkNulls(
      String table,
      StructType schema,
      org.apache.spark.sql.types.StructType rowSchema,
      List<Row> rows) {
    for (io.delta.kernel.types.StructField field : schema.fields()) {
      if (field.isNullable()) {
        continue;
      }
      int position = rowSchema.fieldIndex(field.getName());
      for (Row row : rows) {
        if (row.isNullAt(position)) {
          throw Errors.nullInRequiredColumn(table, field.getName());
        }
      }
    }
  }

  private static CloseableIterator<ColumnarBatch> data(CloseableIterator<FileReadResult> read) {
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return read.hasNext();
      }

      @Override
      public ColumnarBatch next() {
        return read.next().getData();
      }

      @Override
      public void close() throws IOException {
        read.close();
      }
    };
  }

  static <T> CloseableIterator<T> single(T value) {
    return iterator(List.of(value).iterator());
  }

  private static <T> CloseableIterator<T> iterator(Iterator<T> values) {
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return values.hasNext();
      }

      @Override
      public T next() {
        return values.next();
      }

      @Override
      public void close() {}
    };
  }

  /** Kernel refuses to write the table: a writer that enforces its features must append instead. */
  static final class UnsupportedTableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedTableException(KernelException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
