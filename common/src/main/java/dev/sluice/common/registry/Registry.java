package dev.sluice.common.registry;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.ModelTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The model registry: versions in {@code model_registry}, aliases as an append-only history in
 * {@code alias_log}. "Which version was champion at time T" is the latest alias row at or before T.
 */
public final class Registry {
  public static final String CHAMPION = "champion";
  public static final String CHALLENGER = "challenger";

  private final Lakehouse lakehouse;

  public Registry(Lakehouse lakehouse) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse is null");
  }

  /**
   * The next version number of a model: one more than the highest registered, 1 for a new model.
   */
  public long nextVersion(String model) {
    if (!lakehouse.exists(Tables.MODEL_REGISTRY)) {
      return 1;
    }
    Row row =
        lakehouse
            .read(Tables.MODEL_REGISTRY)
            .where(col("model_name").equalTo(model))
            .agg(max("version"))
            .first();
    return row.isNullAt(0) ? 1 : row.getLong(0) + 1;
  }

  /**
   * The version already registered for a training key, if any: training the same thing twice
   * registers once.
   */
  public OptionalLong versionFor(String model, String trainingKey) {
    if (!lakehouse.exists(Tables.MODEL_REGISTRY)) {
      return OptionalLong.empty();
    }
    List<Row> rows =
        lakehouse
            .read(Tables.MODEL_REGISTRY)
            .where(col("model_name").equalTo(model).and(col("training_key").equalTo(trainingKey)))
            .select("version")
            .collectAsList();
    return rows.isEmpty() ? OptionalLong.empty() : OptionalLong.of(rows.get(0).getLong(0));
  }

  /**
   * Appends a version's row. The write is keyed by model and version, so a retried registration
   * adds nothing; a version taken meanwhile by another run fails with a clear message.
   */
  public void register(Row row, String model, long version) {
    lakehouse.create(ModelTables.MODEL_REGISTRY);
    String appId = "register/" + model + "/" + version;
    if (lakehouse.transactionVersion(Tables.MODEL_REGISTRY, appId).isEmpty()
        && nextVersion(model) != version) {
      throw Errors.job(
          "Cannot register "
              + model
              + " version "
              + version
              + ": another training run registered it meanwhile. Re-run train.",
          null);
    }
    lakehouse.appendOnce(ModelTables.MODEL_REGISTRY, List.of(row), appId, 1);
  }

  /** The registry row of a version. */
  public Optional<Row> version(String model, long version) {
    if (!lakehouse.exists(Tables.MODEL_REGISTRY)) {
      return Optional.empty();
    }
    List<Row> rows =
        lakehouse
            .read(Tables.MODEL_REGISTRY)
            .where(col("model_name").equalTo(model).and(col("version").equalTo(version)))
            .collectAsList();
    return rows.stream().findFirst();
  }

  /** The newest registered version of a model. */
  public OptionalLong latestVersion(String model) {
    long next = nextVersion(model);
    return next == 1 ? OptionalLong.empty() : OptionalLong.of(next - 1);
  }

  /**
   * Points an alias at a version (or removes it with an empty version), appending the change to the
   * alias log.
   */
  public void setAlias(
      String model, String alias, OptionalLong version, String reason, String runId, Instant at) {
    OptionalLong previous = alias(model, alias);
    Row row =
        RowFactory.create(
            model,
            alias,
            version.isPresent() ? version.getAsLong() : null,
            previous.isPresent() ? previous.getAsLong() : null,
            Timestamp.from(at),
            reason,
            runId);
    lakehouse.append(ModelTables.ALIAS_LOG, List.of(row));
  }

  /** The version an alias points to now. */
  public OptionalLong alias(String model, String alias) {
    return aliasAt(model, alias, null);
  }

  /** The version an alias pointed to at {@code at} (null: now). */
  public OptionalLong aliasAt(String model, String alias, Instant at) {
    if (!lakehouse.exists(Tables.ALIAS_LOG)) {
      return OptionalLong.empty();
    }
    Dataset<Row> log =
        lakehouse
            .read(Tables.ALIAS_LOG)
            .where(col("model_name").equalTo(model).and(col("alias").equalTo(alias)));
    if (at != null) {
      log = log.where(col("changed_at").leq(lit(Timestamp.from(at))));
    }
    List<Row> latest = log.orderBy(desc("changed_at")).limit(1).select("version").collectAsList();
    return latest.isEmpty() || latest.get(0).isNullAt(0)
        ? OptionalLong.empty()
        : OptionalLong.of(latest.get(0).getLong(0));
  }

  /** Every alias of a model and where it points now. */
  public Map<String, Long> aliases(String model) {
    Map<String, Long> aliases = new HashMap<>();
    for (String alias : List.of(CHAMPION, CHALLENGER)) {
      OptionalLong version = alias(model, alias);
      if (version.isPresent()) {
        aliases.put(alias, version.getAsLong());
      }
    }
    return aliases;
  }
}
