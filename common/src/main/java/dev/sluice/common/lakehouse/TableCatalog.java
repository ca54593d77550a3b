package dev.sluice.common.lakehouse;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.engine.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;

/**
 * The lakehouse's tables in the session catalog as {@code <database>.<table>}, through Spark's
 * catalog API and SQL: the database lives at the lakehouse root, every table is an external Delta
 * table at its folder under it.
 */
final class TableCatalog {
  /** A Delta commit or checkpoint file: 20 digits, then .json or .checkpoint…parquet. */
  private static final Pattern COMMIT_FILE =
      Pattern.compile("\\d{20}\\.(json|checkpoint(\\..+)?\\.parquet)");

  private static final String CATALOG_IMPLEMENTATION = "spark.sql.catalogImplementation";
  private static final String IN_MEMORY = "in-memory";

  private static final Logger LOG = LogManager.getLogger(TableCatalog.class);
  private final JobSession session;
  private final String database;
  private final String root;
  private final Set<String> registered = new HashSet<>();

  TableCatalog(JobSession session, String database, String root) {
    this.session = requireNonNull(session, "session is null");
    this.database = requireNonNull(database, "database is null");
    this.root = requireNonNull(root, "root is null");
  }

  String location(String table) {
    return (root.endsWith("/") ? root : root + "/") + table;
  }

  /** Registers every Delta table under the root; returns their names in order. */
  List<String> registerAll() {
    createDatabase();
    List<String> tables = tables();
    tables.forEach(this::register);
    return tables;
  }

  /**
   * Registers a table this session wrote, once per table (later writes cost no catalog call), when
   * the registration serves anyone: the catalog outlives the session (a Hive metastore), or this
   * session queries the lakehouse by name (its database is in the catalog, as after {@link
   * #registerAll}). A job's in-memory catalog ends with its JVM, so registering there would cost
   * the job a Delta table load and the first SQL statement's planning, and give nothing; a session
   * not started yet has no database in its in-memory catalog, so a job that wrote only through
   * Kernel starts none to find that out.
   */
  void registerWritten(String table) {
    if (!registered.contains(table)
        && (persistentCatalog()
            || (session.started() && session.spark().catalog().databaseExists(database)))) {
      register(table);
    }
  }

  /** Whether the session's catalog is a metastore rather than Spark's in-memory one. */
  private boolean persistentCatalog() {
    return !IN_MEMORY.equals(session.conf().get(CATALOG_IMPLEMENTATION, IN_MEMORY));
  }

  /**
   * Registers one table at its location under the root, creating the database first if needed. A
   * registration that already points there is left alone; one that points elsewhere (the database
   * was last used with another root) is re-pointed: the tables are external, so only the catalog
   * entry is replaced, never data.
   */
  void register(String table) {
    createDatabase();
    String location = location(table);
    String name = Schemas.quoted(database) + "." + Schemas.quoted(table);
    Optional<Entry> entry = entry(table);
    if (entry.isPresent()) {
      if (entry.get().location().equals(location)) {
        registered.add(table);
        return;
      }
      if (!entry.get().external()) {
        throw Errors.catalogConflict(database + "." + table, entry.get().location(), location);
      }
      LOG.warn(
          "{} was registered at {}; re-pointing it to {}", name, entry.get().location(), location);
      session.spark().sql("DROP TABLE " + name);
    }
    session
        .spark()
        .sql("CREATE TABLE IF NOT EXISTS " + name + " USING delta LOCATION " + literal(location));
    registered.add(table);
  }

  /** A table's catalog entry: where it is, and whether only the entry is the catalog's. */
  private record Entry(String location, boolean external) {}

  /**
   * The table's catalog entry, if it has one. {@code SHOW TABLE EXTENDED} reads the catalog only,
   * where resolving the name (as {@code Catalog.tableExists} does) opens the table, and fails when
   * an entry outlived its folder.
   */
  private Optional<Entry> entry(String table) {
    // Filtered here, not by the query: a filter on the command's rows would run a Spark job.
    List<Row> entries =
        session
            .spark()
            .sql("SHOW TABLE EXTENDED IN " + Schemas.quoted(database) + " LIKE " + literal(table))
            .collectAsList()
            .stream()
            .filter(row -> table.equals(row.getString(row.fieldIndex("tableName"))))
            .toList();
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    String location = null;
    boolean external = false;
    for (String line :
        entries.get(0).getString(entries.get(0).fieldIndex("information")).split("\n")) {
      if (line.startsWith("Location: ")) {
        location = line.substring("Location: ".length()).trim();
      } else if (line.startsWith("Type: ")) {
        external = line.substring("Type: ".length()).trim().equals("EXTERNAL");
      }
    }
    if (location == null) {
      throw new IllegalStateException(
          "The catalog entry of " + database + "." + table + " has no location");
    }
    return Optional.of(new Entry(location, external));
  }

  private void createDatabase() {
    if (session.spark().catalog().databaseExists(database)) {
      return;
    }
    // The database's location is the root, so a table a user creates in it lands beside ours.
    session
        .spark()
        .sql(
            "CREATE DATABASE IF NOT EXISTS "
                + Schemas.quoted(database)
                + " COMMENT "
                + literal("Sluice lakehouse at " + root)
                + " LOCATION "
                + literal(root));
  }

  /** A SQL string literal. */
  private static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * The names of the Delta tables under the root: folders whose Delta log holds a committed
   * version. A job creating a table makes {@code _delta_log} before its first commit lands, and
   * registering the table in that moment would fail, so such a folder is not a table yet.
   */
  List<String> tables() {
    Path rootPath = new Path(root);
    try {
      FileSystem fs = rootPath.getFileSystem(session.hadoopConfiguration());
      if (!fs.exists(rootPath)) {
        return List.of();
      }
      List<String> names = new ArrayList<>();
      for (FileStatus status : fs.listStatus(rootPath)) {
        Path log = new Path(status.getPath(), "_delta_log");
        if (status.isDirectory()
            && fs.exists(log)
            && fs.listStatus(log, path -> COMMIT_FILE.matcher(path.getName()).matches()).length
                > 0) {
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
