package dev.sluice.common.lakehouse;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.engine.JobSession;
import dev.sluice.common.engine.Schemas;
import dev.sluice.common.engine.internal.DeltaLogTables;
import dev.sluice.common.engine.internal.StagedAppends;
import dev.sluice.common.settings.LakehouseSettings;
import io.delta.kernel.exceptions.TableNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Delta tables under one lakehouse root: their paths, versions, idempotent appends and their
 * registration as {@code <database>.<table>} in the session catalog.
 *
 * <p>Large tables (raw, snapshots, predictions) are written and read through Spark's DataFrame API
 * and {@code DeltaTable}; small ones (registry, logs, job runs, profiles) through Delta Kernel on
 * the driver ({@link KernelTables}). Where Delta's public path replays a table's log in a Spark job
 * for an answer its checksum file holds, {@link DeltaLogTables} (the one place that uses Delta's
 * own classes, each use with a twin test) answers instead.
 */
public final class Lakehouse {
  private final JobSession session;
  private final LakehouseSettings settings;
  private final String root;
  private final KernelTables kernel;
  private final TableCatalog catalog;
  private final TableLog log;
  private final TableCreation creation;
  private final TableFolders folders;
  private DeltaLogTables deltaLog;
  private StagedAppends stagedAppends;

  public Lakehouse(SparkSession spark, LakehouseSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /**
   * A lakehouse whose session starts when a read or write first needs Spark: looking up versions,
   * writers' transactions, commits and small tables, and appending to small tables, do not.
   */
  public Lakehouse(JobSession session, LakehouseSettings settings) {
    this.session = requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.root = qualify(settings.root());
    this.kernel = new KernelTables(session.hadoopConfiguration());
    this.catalog = new TableCatalog(session, settings.database(), root);
    this.log = new TableLog(kernel, this::deltaLog, this::path);
    this.creation = new TableCreation(this, catalog);
    this.folders = new TableFolders(session.hadoopConfiguration());
  }

  private synchronized DeltaLogTables deltaLog() {
    if (deltaLog == null) {
      deltaLog = new DeltaLogTables(session.spark());
    }
    return deltaLog;
  }

  private synchronized StagedAppends stagedAppends() {
    if (stagedAppends == null) {
      stagedAppends = new StagedAppends(session.spark());
    }
    return stagedAppends;
  }

  /** A relative root is resolved against the working directory once: every path is absolute. */
  private String qualify(String path) {
    Path rootPath = new Path(path);
    try {
      return rootPath
          .getFileSystem(session.hadoopConfiguration())
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

  /** The Spark session, started now if it has not been. */
  public SparkSession spark() {
    return session.spark();
  }

  /** The job's session, which may not have started. */
  public JobSession session() {
    return session;
  }

  public String database() {
    return settings.database();
  }

  /** The storage location of a table. */
  public String path(String table) {
    return catalog.location(table);
  }

  /** The table's location, its folder made first (see {@link TableFolders}). */
  private String writable(String table) {
    return folders.made(table, path(table));
  }

  /** The name a data engineer queries the table by. */
  public String qualifiedName(String table) {
    return settings.database() + "." + table;
  }

  /** Whether the table has a committed version (read from its log by Kernel, no Spark job). */
  public boolean exists(String table) {
    return kernel.version(path(table)).isPresent();
  }

  /**
   * Whether the table exists and its latest version holds a data file, as a table a job wrote rows
   * to does; one the first ingest created and nothing has written to yet holds none (read from its
   * log by Kernel, no Spark job).
   */
  public boolean hasData(String table) {
    return kernel.hasFiles(path(table));
  }

  /** What the tables' logs record of their commits: writers, tags, times and rows written. */
  public TableLog log() {
    return log;
  }

  /** The latest committed version of a table, if it exists. */
  public OptionalLong version(String table) {
    return kernel.version(path(table));
  }

  /**
   * Whether writer {@code appId} (Delta's {@code txnAppId}) committed transaction {@code
   * txnVersion} or a later one to the table: one lookup in the table's log, none when the table
   * does not exist. A retried write asks it to know whether its earlier attempt landed.
   */
  public boolean committed(String table, String appId, long txnVersion) {
    return kernel.committed(path(table), appId, txnVersion);
  }

  /** Records that a table was written: registers it in the session's catalog once. */
  void written(String table) {
    catalog.registerWritten(table);
  }

  /** Creates the table with its comments if it does not exist yet; an existing one is kept. */
  public void create(TableSpec spec) {
    writable(spec.name());
    creation.create(spec);
  }

  /**
   * Creates every table of {@code specs} that does not exist yet, empty, as {@link #create} does;
   * existing tables are left untouched. Each table is created by its own commit, so a run stopped
   * half-way and run again ends with every table.
   *
   * @return the names of the tables created, in the order of {@code specs}
   */
  public List<String> createMissing(List<TableSpec> specs) {
    return creation.createMissing(specs);
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
      LongFunction<Map<String, Long>> marks) {
    Optional<Optional<Long>> committed =
        deltaLog().appendInTransaction(rows, writable(table), appId, txnVersion, marks);
    if (committed.isEmpty()) {
      if (committed(table, appId, txnVersion)) {
        return Optional.empty();
      }
      rows.write()
          .format("delta")
          .mode("append")
          .option("txnAppId", appId)
          .option("txnVersion", txnVersion)
          .option("mergeSchema", mergeSchema)
          .save(path(table));
      committed = Optional.of(Optional.of(deltaLog().version(path(table))));
    }
    catalog.registerWritten(table);
    return committed.get();
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
   * and properties. When the rows do not have the table's columns, they are computed once without
   * output, and the commit is {@link #appendOnce}'s Delta append, which computes them again.
   */
  public PendingAppend stageAppend(
      TableSpec spec, Dataset<Row> rows, String appId, long txnVersion, boolean mergeSchema) {
    StagedAppends.NewTable table =
        new StagedAppends.NewTable(
            spec.comment(), spec.schema(), spec.partitionColumns(), spec.properties());
    Optional<StagedAppends.Staged> staged =
        stagedAppends().stage(writable(spec.name()), table, rows, appId, txnVersion);
    if (staged.isEmpty() || staged.get().alreadyCommitted()) {
      // Delta's append commits the rows (computing them again), or nothing is left to commit.
      rows.write().format("noop").mode(SaveMode.Overwrite).save();
    }
    return new PendingAppend(
        this, spec, staged.isEmpty() ? rows : null, appId, txnVersion, mergeSchema, staged);
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
    try {
      Optional<Long> version;
      try {
        version =
            kernel.append(path(spec.name()), spec.name(), spec.schema(), rows, appId, txnVersion);
      } catch (TableNotFoundException e) {
        // Looked up by the append itself: an existing table's log is read once.
        create(spec);
        version =
            kernel.append(path(spec.name()), spec.name(), spec.schema(), rows, appId, txnVersion);
      }
      catalog.registerWritten(spec.name());
      return version;
    } catch (KernelTables.UnsupportedTableException e) {
      // Nullable columns, or Spark would take the schema's word that no value is null: Delta's
      // check would be optimized away, and a null would land as 0 or an empty value.
      Dataset<Row> frame = spark().createDataFrame(rows, Schemas.nullable(spec.schema()));
      return appId == null
          ? Optional.of(append(frame, spec.name()))
          : appendOnce(frame, spec.name(), appId, txnVersion, false);
    }
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

  /** Appends rows without idempotence (for logs whose every call is a new event). */
  public long append(Dataset<Row> rows, String table) {
    rows.write().format("delta").mode("append").save(writable(table));
    catalog.registerWritten(table);
    return deltaLog().version(path(table));
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
   * rows are written and before the commit, which records them as its tags (read back by {@link
   * #commitTags}): what the write counted can travel with it. Delta's public overwrite (taken when
   * the table's checksum does not list its files, or the columns change) writes and commits in one
   * call, and records no tags.
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
    // checksum.
    create(new TableSpec(table, comment, Schemas.nullable(rows.schema()), List.of()));
    OptionalLong replaced = deltaLog().overwriteInTransaction(rows, path(table), tag, commitTags);
    if (replaced.isEmpty()) {
      rows.write()
          .format("delta")
          .mode("overwrite")
          .option("overwriteSchema", true)
          .option("userMetadata", tag)
          .save(path(table));
      replaced = OptionalLong.of(deltaLog().version(path(table)));
    }
    catalog.registerWritten(table);
    return replaced.getAsLong();
  }

  /**
   * Every row of a small table's latest version (a registry, a log), read on the driver by Delta
   * Kernel: no query planning and no Spark job. None when the table does not exist.
   */
  public List<Row> rows(String table) {
    return kernel.rows(path(table));
  }

  /** The table's latest version. */
  public Dataset<Row> read(String table) {
    return deltaLog()
        .readListedFiles(path(table), OptionalLong.empty())
        .orElseGet(() -> spark().read().format("delta").load(path(table)));
  }

  /** The table as it was at {@code version} (Delta time travel). */
  public Dataset<Row> readVersion(String table, long version) {
    Supplier<Dataset<Row>> scan =
        () -> spark().read().format("delta").option("versionAsOf", version).load(path(table));
    long latest = deltaLog().version(path(table));
    if (version < 0 || version > latest) {
      return scan.get(); // Delta's own error names the versions there are.
    }
    return deltaLog().readListedFiles(path(table), OptionalLong.of(version)).orElseGet(scan);
  }

  /**
   * Makes this session's catalog match the root: creates the database and registers every Delta
   * table under the root as {@code <database>.<table>}. Run at the start of a session that queries
   * tables by name (SQL shell, notebook); jobs register each table as they first write it.
   *
   * @return the tables under the root, in name order
   */
  public List<String> registerAll() {
    return catalog.registerAll();
  }

  /** Registers one table as {@code <database>.<table>} (see {@link TableCatalog#register}). */
  public void register(String table) {
    catalog.register(table);
  }

  /** The names of the Delta tables under the root (folders whose Delta log has a commit). */
  public List<String> tables() {
    return catalog.tables();
  }
}
