package dev.sluice.common.lakehouse;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.types.StructField;

/**
 * Creates the lakehouse's tables, empty, with their table and column comments, through Delta's
 * public {@link DeltaTable} builder, and registers the new ones in the session's catalog.
 */
final class TableCreation {
  /** Tables {@link #createMissing} creates at once. */
  private static final int CONCURRENT_CREATES = 4;

  private final Lakehouse lakehouse;
  private final TableCatalog catalog;

  TableCreation(Lakehouse lakehouse, TableCatalog catalog) {
    this.lakehouse = lakehouse;
    this.catalog = catalog;
  }

  /** See {@link Lakehouse#create}. */
  void create(TableSpec spec) {
    if (createIfMissing(spec)) {
      catalog.registerWritten(spec.name());
    }
  }

  /** See {@link Lakehouse#createMissing}: the missing tables, a few at once. */
  List<String> createMissing(List<TableSpec> specs) {
    Set<String> existing = new HashSet<>(catalog.tables());
    List<TableSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
    if (missing.isEmpty()) {
      return List.of();
    }
    lakehouse.spark(); // started once, here, not by the first of several threads
    // Delta's create commits and then runs one small Spark job to checksum the new table: most of
    // its time is waiting, so a few at once cost less than one after another.
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(missing.size(), CONCURRENT_CREATES));
    try {
      List<Future<Boolean>> creates = new ArrayList<>();
      for (TableSpec spec : missing) {
        creates.add(pool.submit(() -> createIfMissing(spec)));
      }
      List<String> created = new ArrayList<>();
      for (int i = 0; i < missing.size(); i++) {
        if (await(creates.get(i), missing.get(i).name())) {
          created.add(missing.get(i).name());
        }
      }
      created.forEach(catalog::registerWritten);
      return created;
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean await(Future<Boolean> create, String table) {
    try {
      return create.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating table " + table, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException("Cannot create table " + table, e.getCause());
    }
  }

  /** Creates the table unless it exists; whether this call created it. */
  private boolean createIfMissing(TableSpec spec) {
    if (lakehouse.exists(spec.name())) {
      return false;
    }
    DeltaTableBuilder builder =
        DeltaTable.createIfNotExists(lakehouse.spark())
            .location(lakehouse.path(spec.name()))
            .comment(spec.comment());
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
    return true;
  }
}
