package dev.sluice.common.lakehouse;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.settings.LakehouseSettings;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * The Delta tables under one lakehouse root: their paths, versions, idempotent appends and their
 * registration as {@code <database>.<table>} in the session catalog.
 */
public final class Lakehouse {
  /** A Delta commit or checkpoint file: 20 digits, then .json or .checkpoint…parquet. */
  private static final java.util.regex.Pattern COMMIT_FILE =
      java.util.regex.Pattern.compile("\\d{20}\\.(json|checkpoint(\\..+)?\\.parquet)");

  private static final Logger LOG = LogManager.getLogger(Lakehouse.class);
  private final SparkSession spark;
  private final LakehouseSettings settings;
  private final String root;
  private final Set<String> registeredHere = new HashSet<>();
  private final KernelTables kernel;

  public Lakehouse(SparkSession spark, LakehouseSettings settings) {
    this.spark = requireNonNull(spark, "spark is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.root = qualify(settings.root());
    this.kernel = new KernelTables(spark.sparkContext().hadoopConfiguration());
  }

  /**
   * A relative root is resolved against the working directory once, so every path a table gets is
   * absolute.
   */
  private String qualify(String path) {
    Path rootPath = new Path(path);
    try {
      return rootPath
          .getFileSystem(spark.sparkContext().hadoopConfiguration())
          .makeQualified(rootPath)
          .toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot resolve the lakehouse root " + path, e);
    }
  }

  /** The absolute location of the lakehouse root. */
  public String root() {
    return root;
  }

  public SparkSession spark() {
    return spark;
  }

  public String database() {
    return settings.database();
  }

  /** The storage location of a table. */
  public String path(String table) {
    return (root.endsWith("/") ? root : root + "/") + table;
  }

  /** The name a data engineer queries the table by. */
  public String qualifiedName(String table) {
    return settings.database() + "." + table;
  }

  public boolean exists(String table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  /** The latest committed version of a table, if it exists. */
  public OptionalLong version(String table) {
    if (!exists(table)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(snapshot(table).version());
  }

  /**
   * The last version recorded for a writer (Delta's {@code txnAppId}), if that writer ever
   * committed to the table. A retried write checks it to know whether its earlier attempt landed.
   */
  public OptionalLong transactionVersion(String table, String appId) {
    if (!exists(table)) {
      return OptionalLong.empty();
    }
    Snapshot snapshot = snapshot(table);
    Optional<OptionalLong> known = checksumTransaction(snapshot, appId);
    if (known.isPresent()) {
      return known.get();
    }
    // No writers in the checksum (Kernel's commits write none): Kernel's own lookup, on the driver.
    return kernel.transactionVersion(path(table), appId);
  }

  /**
   * Every writer's last transaction (Delta's {@code txnAppId} to its version) on the table, empty
   * when the table does not exist. Read from the latest checksum file when it lists them (no Spark
   * job); otherwise from Delta's log replay.
   */
  public Map<String, Long> transactions(String table) {
    if (!exists(table)) {
      return Map.of();
    }
    Snapshot snapshot = snapshot(table);
    Option<scala.collection.immutable.Seq<SetTransaction>> known = checksumTransactions(snapshot);
    scala.collection.Iterator<SetTransaction> transactions =
        known.isDefined() ? known.get().iterator() : snapshot.setTransactions().iterator();
    Map<String, Long> versions = new java.util.LinkedHashMap<>();
    while (transactions.hasNext()) {
      SetTransaction transaction = transactions.next();
      versions.put(transaction.appId(), transaction.version());
    }
    return versions;
  }

  /**
   * The writer's last transaction as the snapshot's checksum file lists it, or empty when the
   * checksum does not list transactions. Reading it costs no Spark job, where Delta's {@code
   * Snapshot.transactions()} replays the whole log (three jobs, seconds on a cold JVM).
   */
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

  /** Every writer's last transaction as the snapshot's checksum lists them, if it lists them. */
  private static Option<scala.collection.immutable.Seq<SetTransaction>> checksumTransactions(
      Snapshot snapshot) {
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    return checksum.isDefined() ? checksum.get().setTransactions() : Option.empty();
  }

  private Snapshot snapshot(String table) {
    return DeltaLog.forTable(spark, path(table)).update(false, Option.empty(), Option.empty());
  }

  /**
   * Creates the table with its comments if it does not exist yet; an existing table is left as it
   * is.
   */
  public void create(TableSpec spec) {
    if (exists(spec.name())) {
      return;
    }
    DeltaTableBuilder builder =
        DeltaTable.createIfNotExists(spark).location(path(spec.name())).comment(spec.comment());
    for (StructField field : spec.schema().fields()) {
      builder = builder.addColumn(field);
    }
    if (!spec.partitionColumns().isEmpty()) {
      builder = builder.partitionedBy(spec.partitionColumns().toArray(String[]::new));
    }
    for (var property : spec.properties().entrySet()) {
      builder = builder.property(property.getKey(), property.getValue());
    }
    builder.execute();
    registerWritten(spec.name());
  }

  /**
   * Appends rows as writer {@code appId}'s transaction {@code txnVersion}. Delta skips the commit
   * when that writer already committed this version, so a retried or concurrent re-run adds
   * nothing.
   *
   * @return the table's version after the commit, or empty when the write had already been
   *     committed
   */
  public Optional<Long> appendOnce(
      Dataset<Row> rows, String table, String appId, long txnVersion, boolean mergeSchema) {
    return appendOnce(rows, table, appId, txnVersion, mergeSchema, written -> Map.of());
  }

  /**
   * {@link #appendOnce(Dataset, String, String, long, boolean)} that also records, in the same
   * commit, the transactions {@code marks} returns for the number of rows written (-1 when the
   * files' statistics do not tell): writers' versions that describe the append, so a reader finds
   * what was appended from the table's transactions without reading its rows. They are recorded
   * when the rows have the table's columns; an append that adds columns ({@code mergeSchema}) is
   * Delta's, and records none, so a reader must compare them with the writer's own.
   */
  public Optional<Long> appendOnce(
      Dataset<Row> rows,
      String table,
      String appId,
      long txnVersion,
      boolean mergeSchema,
      java.util.function.LongFunction<Map<String, Long>> marks) {
    Optional<Optional<Long>> committed = appendInTransaction(rows, table, appId, txnVersion, marks);
    if (committed.isPresent()) {
      return committed.get();
    }
    OptionalLong already = transactionVersion(table, appId);
    if (already.isPresent() && already.getAsLong() >= txnVersion) {
      return Optional.empty();
    }
    rows.write()
        .format("delta")
        .mode("append")
        .option("txnAppId", appId)
        .option("txnVersion", txnVersion)
        .option("mergeSchema", mergeSchema)
        .save(path(table));
    registerWritten(table);
    return Optional.of(snapshot(table).version());
  }

  /**
   * {@link #appendOnce}'s write as Delta's own transaction, when the table exists and the rows have
   * its columns (same names and types; Delta's invariants still reject a null in a NOT NULL
   * column). Delta's append with {@code txnAppId} does the same, but it first asks the snapshot for
   * the writer's version, and the snapshot replays its whole log to answer: about 7 s on a cold
   * JVM, for any table size. Here the version comes from the checksum when it lists the writers
   * (the log is replayed only when it does not), and the writer is registered as read by the
   * transaction as Delta's {@code txnVersion} registers it, so a concurrent commit by the same
   * writer still fails this one with Delta's {@code ConcurrentTransactionException}.
   *
   * @return empty when this path does not apply (the caller takes Delta's append); otherwise the
   *     version committed, or empty when the writer had already committed this transaction
   */
  private Optional<Optional<Long>> appendInTransaction(
      Dataset<Row> rows,
      String table,
      String appId,
      long txnVersion,
      java.util.function.LongFunction<Map<String, Long>> marks) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path(table)).startTransaction();
    // A missing table (version -1) has no columns to match, so Delta's append creates it.
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
    long version = commitAppend(txn, actions, appId, txnVersion);
    registerWritten(table);
    return Optional.of(Optional.of(version));
  }

  /**
   * Whether writer {@code appId} already committed {@code txnVersion}, as the table's checksum
   * lists it (or, when it lists no transactions, the log's replay), the writer being registered as
   * read by {@code txn} (as Delta's {@code txnVersion} registers it, so a concurrent commit by the
   * same writer fails this one); empty when Delta's own transaction cannot take the append: the
   * table does not exist, or the rows do not have the table's columns.
   */
  private static Optional<Boolean> committedBefore(
      OptimisticTransaction txn, StructType rows, String appId, long txnVersion) {
    Snapshot snapshot = txn.snapshot();
    if (appId == null) {
      // A plain append: no writer to look up.
      return sameColumns(rows, snapshot.schema()) ? Optional.of(false) : Optional.empty();
    }
    if (!sameColumns(rows, snapshot.schema())) {
      return Optional.empty();
    }
    Optional<OptionalLong> known = checksumTransaction(snapshot, appId);
    if (known.isEmpty()) {
      // No transactions in the checksum (a table written without checksum files, or with more
      // writers than Delta lists there): the log replay Delta's own append would do.
      return Optional.of(txn.txnVersion(appId) >= txnVersion);
    }
    txn.readTxn().$plus$eq(appId);
    return Optional.of(known.get().isPresent() && known.get().getAsLong() >= txnVersion);
  }

  /**
   * Commits written files as writer {@code appId}'s transaction (none when {@code appId} is null):
   * Delta's blind-append WRITE.
   */
  private static long commitAppend(
      OptimisticTransaction txn, List<Action> files, String appId, long txnVersion) {
    List<Action> actions = new ArrayList<>(files);
    if (appId != null) {
      actions.add(new SetTransaction(appId, txnVersion, Option.apply(System.currentTimeMillis())));
    }
    return txn.commit(scalaList(actions), write(SaveMode.Append, null));
  }

  /**
   * Computes {@code rows} once and writes them to {@code spec}'s table storage for an append as
   * writer {@code appId}'s transaction {@code txnVersion}, without committing them. A caller that
   * counts the rows as they are computed (accumulators, {@link Dataset#observe}) thus has its
   * counts before anything is committed, and can still decide: {@link PendingAppend#commit} lands
   * the rows, {@link PendingAppend#close} without a commit deletes the written files, so a rejected
   * write leaves nothing behind (not even a new table's directory).
   *
   * <p>A missing table is created by the commit itself, with {@code spec}'s comments, partitioning
   * and properties. When the table exists, the files are written in Delta's own transaction as
   * {@link #appendOnce} writes them (same condition: the rows have the table's columns). Otherwise
   * the rows are computed once without output, and the commit is {@link #appendOnce}'s Delta
   * append, which computes them again.
   */
  public PendingAppend stageAppend(
      TableSpec spec, Dataset<Row> rows, String appId, long txnVersion, boolean mergeSchema) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path(spec.name())).startTransaction();
    boolean newTable = txn.snapshot().version() < 0;
    if (newTable && sameColumns(rows.schema(), spec.schema())) {
      txn.updateMetadataForNewTable(metadata(spec));
      txn.readTxn().$plus$eq(appId);
      return new PendingAppend(
          spec, rows, appId, txnVersion, mergeSchema, txn, true, writeFiles(txn, rows));
    }
    Optional<Boolean> committed = committedBefore(txn, rows.schema(), appId, txnVersion);
    if (committed.isEmpty() || committed.get()) {
      // Delta's append commits the rows (computing them again), or nothing is left to commit.
      rows.write().format("noop").mode(SaveMode.Overwrite).save();
      return new PendingAppend(
          spec,
          committed.isEmpty() ? rows : null,
          appId,
          txnVersion,
          mergeSchema,
          null,
          false,
          List.of());
    }
    return new PendingAppend(
        spec, rows, appId, txnVersion, mergeSchema, txn, false, writeFiles(txn, rows));
  }

  /** The metadata of a new table of {@code spec}: schema with comments, partitions, properties. */
  private static Metadata metadata(TableSpec spec) {
    return Metadata.apply(
        java.util.UUID.randomUUID().toString(),
        null,
        spec.comment(),
        Metadata.apply$default$4(),
        spec.schema().json(),
        scalaList(spec.partitionColumns()),
        scala.collection.immutable.Map.from(
            scala.jdk.javaapi.CollectionConverters.asScala(spec.properties())),
        Option.apply(System.currentTimeMillis()));
  }

  /**
   * An append from {@link #stageAppend}: its rows were computed once, and (on the transaction path)
   * their files written. Commit it, or close it to delete the files of a write that will not be
   * committed.
   */
  public final class PendingAppend implements AutoCloseable {
    private final TableSpec spec;
    private final Dataset<Row> rows;
    private final String appId;
    private final long txnVersion;
    private final boolean mergeSchema;
    private final OptimisticTransaction txn;
    private final boolean newTable;
    private final List<Action> files;
    private boolean finished;

    /**
     * @param rows the rows for Delta's append (when {@code txn} is null), or null
     * @param txn the transaction that wrote the files, or null when the commit is Delta's append
     *     (or nothing, when {@code rows} is null too: the writer already committed this
     *     transaction)
     * @param files the actions adding the written files
     */
    private PendingAppend(
        TableSpec spec,
        Dataset<Row> rows,
        String appId,
        long txnVersion,
        boolean mergeSchema,
        OptimisticTransaction txn,
        boolean newTable,
        List<Action> files) {
      this.spec = spec;
      this.rows = rows;
      this.appId = appId;
      this.txnVersion = txnVersion;
      this.mergeSchema = mergeSchema;
      this.txn = txn;
      this.newTable = newTable;
      this.files = files;
    }

    /**
     * Commits the append.
     *
     * @return the table's version after the commit, or empty when the writer had already committed
     *     this transaction
     */
    public Optional<Long> commit() {
      if (finished) {
        throw new IllegalStateException("the append to " + spec.name() + " is already finished");
      }
      finished = true;
      if (txn == null && rows == null) {
        return Optional.empty();
      }
      if (txn == null) {
        create(spec);
        return appId == null
            ? Optional.of(append(rows, spec.name()))
            : appendOnce(rows, spec.name(), appId, txnVersion, mergeSchema);
      }
      // Delta's conflict check fails a commit before it lands, so only a conflict deletes the
      // files. After any other failure the commit may have landed, and its files stay (an
      // uncommitted file is invisible to readers, and VACUUM removes it).
      long version;
      try {
        version = commitAppend(txn, files, appId, txnVersion);
      } catch (DeltaConcurrentModificationException e) {
        if (!newTable) {
          deleteFiles();
          throw e;
        }
        // Another writer created the table first: commit the same files to the table it made.
        Optional<Long> committed = commitToCreatedTable(e);
        registerWritten(spec.name());
        return committed;
      }
      registerWritten(spec.name());
      return Optional.of(version);
    }

    private Optional<Long> commitToCreatedTable(DeltaConcurrentModificationException conflict) {
      OptimisticTransaction retry = DeltaLog.forTable(spark, path(spec.name())).startTransaction();
      if (!sameColumns(spec.schema(), retry.snapshot().schema())) {
        deleteFiles();
        throw conflict;
      }
      if (appId != null && retry.txnVersion(appId) >= txnVersion) {
        deleteFiles();
        return Optional.empty();
      }
      try {
        return Optional.of(commitAppend(retry, files, appId, txnVersion));
      } catch (DeltaConcurrentModificationException e) {
        deleteFiles();
        throw e;
      }
    }

    /** Deletes the written files unless the append was committed. */
    @Override
    public void close() {
      if (!finished) {
        finished = true;
        deleteFiles();
      }
    }

    private void deleteFiles() {
      try {
        FileSystem fs =
            new Path(path(spec.name())).getFileSystem(spark.sparkContext().hadoopConfiguration());
        for (Action action : files) {
          fs.delete(((AddFile) action).absolutePath(txn.deltaLog()), false);
        }
        if (newTable && !exists(spec.name())) {
          Path table = new Path(path(spec.name()));
          deleteFilesWithoutRows(fs, table);
          deleteEmptyDirectories(fs, table);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot delete the uncommitted files of "
                + qualifiedName(spec.name())
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

  /** Writes the rows' files in the transaction; the actions that add them, to commit. */
  private static List<Action> writeFiles(OptimisticTransaction txn, Dataset<Row> rows) {
    List<Action> actions = new ArrayList<>();
    scala.collection.Iterator<FileAction> files = txn.writeFiles(rows).iterator();
    while (files.hasNext()) {
      actions.add(files.next());
    }
    return actions;
  }

  private static <T> scala.collection.immutable.Seq<T> scalaList(List<T> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
  }

  /** Same column names, in any order, with the same types once nullability is set aside. */
  private static boolean sameColumns(StructType rows, StructType table) {
    if (rows.fields().length != table.fields().length) {
      return false;
    }
    StructType nullableTable = nullable(table);
    for (StructField field : nullable(rows).fields()) {
      Option<Object> index = nullableTable.getFieldIndex(field.name());
      if (index.isEmpty()
          || !nullableTable.fields()[(Integer) index.get()].dataType().equals(field.dataType())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Appends {@code rows} (of {@code spec}'s schema, built on the driver) as writer {@code appId}'s
   * transaction {@code txnVersion}, as {@link #appendOnce(Dataset, String, String, long, boolean)}
   * does; a missing table is created first, with {@code spec}'s comments. Delta Kernel writes and
   * commits the rows on the driver (no query planning, no Spark job); Spark's append takes a table
   * whose features Kernel does not write (CHECK constraints, generated or identity columns).
   *
   * @param appId the writer, or null for an append that is not idempotent
   * @return the table's version after the commit, or empty when the write had already been
   *     committed
   */
  public Optional<Long> appendOnce(TableSpec spec, List<Row> rows, String appId, long txnVersion) {
    create(spec);
    try {
      Optional<Long> version =
          kernel.append(path(spec.name()), spec.name(), spec.schema(), rows, appId, txnVersion);
      registerWritten(spec.name());
      return version;
    } catch (KernelTables.UnsupportedTableException e) {
      // Nullable columns, or Spark would take the schema's word that no value is null: Delta's
      // check would be optimized away, and a null would land as 0 or an empty value.
      Dataset<Row> frame = spark.createDataFrame(rows, nullable(spec.schema()));
      return appId == null
          ? Optional.of(append(frame, spec.name()))
          : appendOnce(frame, spec.name(), appId, txnVersion, false);
    }
  }

  /**
   * Replaces a table's content in one commit tagged with {@code tag} (Delta's userMetadata),
   * keeping the old content reachable by time travel.
   *
   * @return the version committed
   */
  public long overwrite(Dataset<Row> rows, String table, String tag, String comment) {
    return overwrite(rows, table, tag, comment, Map::of);
  }

  /**
   * {@link #overwrite(Dataset, String, String, String)}, with {@code commitTags} asked for once the
   * rows are written and before the commit, which records them as its tags (Delta's {@code
   * commitInfo.tags}, read back by {@link #commitTags}): what the write counted can travel with it.
   * Delta's overwrite (when Sluice's own transaction does not apply, see {@link
   * #overwriteInTransaction}) writes and commits in one call, and records no tags.
   */
  public long overwrite(
      Dataset<Row> rows,
      String table,
      String tag,
      String comment,
      Supplier<Map<String, String>> commitTags) {
    // A write cannot set the table's comment, so a new table is created first, like every other.
    // Its columns are nullable, as a Delta overwrite makes them: were they not, the first overwrite
    // would change the schema, and a commit that changes it is left out of the file list in the
    // checksum (see read).
    create(new TableSpec(table, comment, nullable(rows.schema()), List.of()));
    OptionalLong replaced = overwriteInTransaction(rows, table, tag, commitTags);
    if (replaced.isPresent()) {
      registerWritten(table);
      return replaced.getAsLong();
    }
    rows.write()
        .format("delta")
        .mode("overwrite")
        .option("overwriteSchema", true)
        .option("userMetadata", tag)
        .save(path(table));
    registerWritten(table);
    return snapshot(table).version();
  }

  /**
   * {@link #overwrite}'s commit as Delta's own transaction, when the table's checksum lists its
   * files and the rows have its columns: remove every listed file, add the written ones, tag the
   * commit. Delta's overwrite first replays the log to list the files it removes (about 8 s on a
   * cold JVM, even for the empty table of a first build). The transaction reads the whole table, as
   * Delta's overwrite does, so a concurrent write to the table still fails this commit.
   *
   * @return the version committed, or empty when this path does not apply (the caller takes Delta's
   *     overwrite, which also replaces a changed schema)
   */
  private OptionalLong overwriteInTransaction(
      Dataset<Row> rows, String table, String tag, Supplier<Map<String, String>> commitTags) {
    OptimisticTransaction txn = DeltaLog.forTable(spark, path(table)).startTransaction();
    Snapshot snapshot = txn.snapshot();
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    if (checksum.isEmpty()
        || checksum.get().allFiles().isEmpty()
        || !snapshot.metadata().partitionColumns().isEmpty()
        || !sameColumns(rows.schema(), snapshot.schema())) {
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

  /**
   * The tags of the commit that made {@code version} of the table (see {@link #overwrite(Dataset,
   * String, String, String, Supplier)}), read from that commit's file on the driver; empty when it
   * has none.
   */
  public Map<String, String> commitTags(String table, long version) {
    Optional<CommitInfo> info = commitInfo(table, version);
    if (info.isEmpty() || info.get().tags().isEmpty()) {
      return Map.of();
    }
    return Map.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(info.get().tags().get()));
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

  /** The schema with every column, element and value allowed to be null. */
  static StructType nullable(StructType schema) {
    return (StructType) nullable((DataType) schema);
  }

  private static DataType nullable(DataType type) {
    if (type instanceof StructType struct) {
      StructField[] fields = struct.fields().clone();
      for (int i = 0; i < fields.length; i++) {
        fields[i] =
            new StructField(
                fields[i].name(), nullable(fields[i].dataType()), true, fields[i].metadata());
      }
      return new StructType(fields);
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(nullable(array.elementType()), true);
    }
    if (type instanceof MapType map) {
      return new MapType(map.keyType(), nullable(map.valueType()), true);
    }
    return type;
  }

  /**
   * The tag (userMetadata) of the table's latest commit, if the table exists and the commit has
   * one.
   */
  public Optional<String> latestTag(String table) {
    OptionalLong latest = version(table);
    return latest.isEmpty() ? Optional.empty() : tagAt(table, latest.getAsLong());
  }

  /**
   * The tag (userMetadata) of the commit that made {@code version} of the table, read from that
   * commit's file on the driver (Delta's history() reads the log in a Spark job).
   */
  public Optional<String> tagAt(String table, long version) {
    return commitInfo(table, version)
        .filter(info -> info.userMetadata().isDefined())
        .map(info -> info.userMetadata().get());
  }

  /** When {@code version} of the table was committed. */
  public java.time.Instant commitTime(String table, long version) {
    Row row =
        DeltaTable.forPath(spark, path(table))
            .history()
            .where(org.apache.spark.sql.functions.col("version").equalTo(version))
            .select("timestamp")
            .first();
    return row.getTimestamp(0).toInstant();
  }

  /**
   * The rows that the commit making {@code version} of the table wrote, from the commit's own
   * operation metrics ({@code numOutputRows}): one small file of the log read on the driver, never
   * a scan of the table. Empty when the commit recorded no such metric (metrics disabled with
   * {@code spark.databricks.delta.history.metricsEnabled}).
   */
  public OptionalLong writtenRows(String table, long version) {
    Optional<CommitInfo> info = commitInfo(table, version);
    if (info.isEmpty() || info.get().operationMetrics().isEmpty()) {
      return OptionalLong.empty();
    }
    Option<String> rows = info.get().operationMetrics().get().get("numOutputRows");
    return rows.isDefined() ? OptionalLong.of(Long.parseLong(rows.get())) : OptionalLong.empty();
  }

  /**
   * The commit information of the commit that made {@code version}: one small file of the log.
   * Empty when that file is gone (cleaned up after a checkpoint, as Delta's history would also not
   * show it).
   */
  private Optional<CommitInfo> commitInfo(String table, long version) {
    scala.collection.Iterator<scala.Tuple2<Object, scala.collection.immutable.Seq<Action>>>
        changes =
            DeltaLog.forTable(spark, path(table))
                .getChanges(version, version, Option.empty(), false);
    while (changes.hasNext()) {
      scala.Tuple2<Object, scala.collection.immutable.Seq<Action>> commit = changes.next();
      if ((Long) commit._1() != version) {
        continue;
      }
      scala.collection.Iterator<Action> actions = commit._2().iterator();
      while (actions.hasNext()) {
        if (actions.next() instanceof CommitInfo info) {
          return Optional.of(info);
        }
      }
    }
    return Optional.empty();
  }

  /** Appends rows without idempotence (for logs whose every call is a new event). */
  public long append(Dataset<Row> rows, String table) {
    rows.write().format("delta").mode("append").save(path(table));
    registerWritten(table);
    return snapshot(table).version();
  }

  /**
   * Appends {@code rows} (of {@code spec}'s schema, built on the driver) without idempotence, as
   * {@link #appendOnce(TableSpec, List, String, long)} writes them.
   *
   * @return the table's version after the commit
   */
  public long append(TableSpec spec, List<Row> rows) {
    return appendOnce(spec, rows, null, 0)
        .orElseThrow(() -> new IllegalStateException("a plain append committed nothing"));
  }

  /**
   * Every row of a small table's latest version (a registry, a log), read on the driver by Delta
   * Kernel: no query planning and no Spark job, the first of which costs a cold JVM about 2 s. None
   * when the table does not exist.
   */
  public List<Row> rows(String table) {
    return kernel.rows(path(table));
  }

  /** The table's latest version. */
  public Dataset<Row> read(String table) {
    return read(snapshot(table), () -> spark.read().format("delta").load(path(table)));
  }

  /** The table as it was at {@code version} (Delta time travel). */
  public Dataset<Row> readVersion(String table, long version) {
    Supplier<Dataset<Row>> scan =
        () -> spark.read().format("delta").option("versionAsOf", version).load(path(table));
    // One listing of the log: the latest snapshot (version -1 when there is no table) bounds the
    // version and is the one read when asked for, as the profile and the features job do.
    Snapshot latest = snapshot(table);
    if (version < 0 || version > latest.version()) {
      return scan.get(); // Delta's own error names the versions there are.
    }
    return read(
        version == latest.version()
            ? latest
            : latest.deltaLog().getSnapshotAt(version, Option.empty(), Option.empty(), false),
        scan);
  }

  /**
   * A snapshot's rows. When the commit's checksum lists the snapshot's files (Delta does below 50
   * files: allFilesInCrc), they are read through Delta's own {@code createDataFrame} over that
   * list; otherwise by Delta's scan. Delta's scan first replays the log in a Spark job to list the
   * files: about 10 s on a cold JVM, most of what a job that reads a few small tables costs.
   * Reading the list costs one small file. What the list loses is file skipping by column
   * statistics; Parquet's row-group statistics still prune a filtered read, and a table of fewer
   * than 50 files is small or has large files.
   */
  private Dataset<Row> read(Snapshot snapshot, Supplier<Dataset<Row>> scan) {
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    if (checksum.isEmpty() || checksum.get().allFiles().isEmpty()) {
      return scan.get();
    }
    scala.collection.immutable.Seq<AddFile> files = checksum.get().allFiles().get();
    scala.collection.Iterator<AddFile> each = files.iterator();
    while (each.hasNext()) {
      if (each.next().deletionVector() != null) {
        return scan.get();
      }
    }
    return snapshot.deltaLog().createDataFrame(snapshot, files, false, Option.empty());
  }

  /**
   * Makes this session's catalog match the root: creates the database and registers every Delta
   * table under the root as {@code <database>.<table>}. Run at the start of a session that queries
   * tables by name (SQL shell, notebook); jobs register each table as they first write it.
   *
   * @return the tables under the root, in name order
   */
  public List<String> registerAll() {
    createDatabase();
    List<String> tables = tables();
    tables.forEach(this::register);
    return tables;
  }

  /**
   * Registers one table as {@code <database>.<table>} at its location under the root, creating the
   * database first if needed, through Spark's catalog API and SQL. A registration that already
   * points there is left alone; one that points elsewhere (the database was last used with another
   * root) is re-pointed: the tables are external, so only the catalog entry is replaced, never
   * data.
   */
  public void register(String table) {
    createDatabase();
    String location = path(table);
    String name = quoted(database()) + "." + quoted(table);
    if (spark.catalog().tableExists(database(), table)) {
      String registered = registeredLocation(table);
      if (registered.equals(location)) {
        registeredHere.add(table);
        return;
      }
      if (!"EXTERNAL".equals(tableType(table))) {
        throw Errors.catalogConflict(qualifiedName(table), registered, location);
      }
      LOG.warn("{} was registered at {}; re-pointing it to {}", name, registered, location);
      spark.sql("DROP TABLE " + name);
    }
    spark.sql("CREATE TABLE IF NOT EXISTS " + name + " USING delta LOCATION " + literal(location));
    registeredHere.add(table);
  }

  /**
   * Where the catalog says a table is, from its entry ({@code SHOW TABLE EXTENDED} reads the
   * catalog only, never the table's log).
   */
  private String registeredLocation(String table) {
    Row entry =
        spark
            .sql("SHOW TABLE EXTENDED IN " + quoted(database()) + " LIKE " + literal(table))
            .where(org.apache.spark.sql.functions.col("tableName").equalTo(table))
            .select("information")
            .first();
    for (String line : entry.getString(0).split("\n")) {
      if (line.startsWith("Location: ")) {
        return line.substring("Location: ".length()).trim();
      }
    }
    throw new IllegalStateException(
        "The catalog entry of " + qualifiedName(table) + " has no location");
  }

  private String tableType(String table) {
    try {
      return spark.catalog().getTable(database(), table).tableType();
    } catch (org.apache.spark.sql.AnalysisException e) {
      throw new IllegalStateException(
          "The catalog lost " + qualifiedName(table) + " while reading it", e);
    }
  }

  /** A SQL identifier in back-quotes. */
  private static String quoted(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** A SQL string literal. */
  private static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Registers a table this object wrote, once per table: later writes cost no catalog call. */
  private void registerWritten(String table) {
    if (!registeredHere.contains(table)) {
      register(table);
    }
  }

  private void createDatabase() {
    if (spark.catalog().databaseExists(database())) {
      return;
    }
    // The database's location is the root, so a table a user creates in it lands beside ours.
    spark.sql(
        "CREATE DATABASE IF NOT EXISTS "
            + quoted(database())
            + " COMMENT "
            + literal("Sluice lakehouse at " + root)
            + " LOCATION "
            + literal(root));
  }

  /**
   * Whether a Delta log holds a committed version. A job creating a table makes {@code _delta_log}
   * before its first commit lands; registering the table in that moment would fail, so such a
   * folder is not a table yet.
   */
  private static boolean hasCommit(FileSystem fs, Path log) throws IOException {
    if (!fs.exists(log)) {
      return false;
    }
    return fs.listStatus(log, path -> COMMIT_FILE.matcher(path.getName()).matches()).length > 0;
  }

  /** The names of the Delta tables under the root (folders whose Delta log has a commit). */
  public List<String> tables() {
    Path rootPath = new Path(root);
    try {
      FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(rootPath)) {
        return List.of();
      }
      List<String> names = new ArrayList<>();
      for (FileStatus status : fs.listStatus(rootPath)) {
        if (status.isDirectory() && hasCommit(fs, new Path(status.getPath(), "_delta_log"))) {
          names.add(status.getPath().getName());
        }
      }
      names.sort(String::compareTo);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the lakehouse root " + root, e);
    }
  }
}
