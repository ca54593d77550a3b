package dev.sluice.common.lakehouse;

import dev.sluice.common.engine.internal.StagedAppends;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An append from {@link Lakehouse#stageAppend}: its rows were computed once, and (on the
 * transaction path) their files written. Commit it, or close it to delete the files of a write that
 * will not be committed.
 */
public final class PendingAppend implements AutoCloseable {
  private final Lakehouse lakehouse;
  private final TableSpec spec;
  private final Dataset<Row> rows;
  private final String appId;
  private final long txnVersion;
  private final boolean mergeSchema;
  private final StagedAppends.Staged staged;
  private boolean finished;

  /**
   * @param rows the rows for Delta's append (when {@code staged} is null), or null
   * @param staged the files written in Delta's transaction, or null when Delta's append commits
   */
  PendingAppend(
      Lakehouse lakehouse,
      TableSpec spec,
      Dataset<Row> rows,
      String appId,
      long txnVersion,
      boolean mergeSchema,
      Optional<StagedAppends.Staged> staged) {
    this.lakehouse = lakehouse;
    this.spec = spec;
    this.rows = rows;
    this.appId = appId;
    this.txnVersion = txnVersion;
    this.mergeSchema = mergeSchema;
    this.staged = staged.orElse(null);
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
    if (staged == null) {
      lakehouse.create(spec);
      return appId == null
          ? Optional.of(lakehouse.append(rows, spec.name()))
          : lakehouse.appendOnce(rows, spec.name(), appId, txnVersion, mergeSchema);
    }
    Optional<Long> version = staged.commit();
    if (version.isPresent()) {
      lakehouse.written(spec.name());
    }
    return version;
  }

  /** Deletes the written files unless the append was committed. */
  @Override
  public void close() {
    if (!finished) {
      finished = true;
      if (staged != null) {
        staged.delete();
      }
    }
  }
}
