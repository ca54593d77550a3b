package dev.sluice.common.registry;

import static java.util.Objects.requireNonNull;

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
    return versions(model).mapToLong(row -> row.<Long>getAs("version")).max().orElse(0) + 1;
  }

  /**
   * The version already registered for a training key, if any: training the same thing twice
   * registers once.
   */
  public OptionalLong versionFor(String model, String trainingKey) {
    return versions(model)
        .filter(row -> trainingKey.equals(row.getAs("training_key")))
        .mapToLong(row -> row.<Long>getAs("version"))
        .findFirst();
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

  /** A registered version. */
  public Optional<ModelVersion> version(String model, long version) {
    return versions(model)
        .filter(row -> row.<Long>getAs("version") == version)
        .findFirst()
        .map(ModelVersion::from);
  }

  /**
   * The registered version a job uses: the {@code requested} one when given, else the {@code
   * fallback}. Fails with an error that says how to fix it when nothing is registered, there is no
   * champion, or the version is not registered.
   *
   * @param purpose what the job does with it, to complete "Cannot ...": "score with", "promote"
   * @param option the job's option that requests a version ("--model-version"), empty if none
   */
  public ModelVersion resolve(
      String model, OptionalLong requested, Fallback fallback, String purpose, String option) {
    if (requested.isEmpty() && fallback == Fallback.LATEST) {
      return versions(model)
          .map(ModelVersion::from)
          .max(java.util.Comparator.comparingLong(ModelVersion::version))
          .orElseThrow(() -> Errors.noRegisteredVersion(purpose, model));
    }
    long chosen =
        requested.isPresent()
            ? requested.getAsLong()
            : alias(model, CHAMPION).orElseThrow(() -> Errors.noChampion(purpose, model, option));
    // One read of the registry serves the lookup and the versions an error lists.
    List<ModelVersion> registered = versions(model).map(ModelVersion::from).toList();
    List<Long> numbers = registered.stream().map(ModelVersion::version).sorted().toList();
    return registered.stream()
        .filter(v -> v.version() == chosen)
        .findFirst()
        .orElseThrow(
            () ->
                requested.isPresent()
                    ? Errors.unregisteredVersion(purpose, model, chosen, option, numbers)
                    : Errors.championNotRegistered(purpose, model, chosen, numbers));
  }

  /** The version a job uses when it is not given one. */
  public enum Fallback {
    /** The version the champion alias points to now. */
    CHAMPION,
    /** The newest registered version. */
    LATEST
  }

  /**
   * The registry rows of a model, none before the first registration. The registry is small (a row
   * per version), so it is read on the driver: no Spark job (see {@link Lakehouse#rows}).
   */
  private java.util.stream.Stream<Row> versions(String model) {
    return lakehouse.rows(Tables.MODEL_REGISTRY).stream()
        .filter(row -> model.equals(row.getAs("model_name")));
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
    return pointedTo(aliasLog(), model, alias, at == null ? null : Timestamp.from(at));
  }

  /** Every alias of a model and where it points now. */
  public Map<String, Long> aliases(String model) {
    List<Row> log = aliasLog();
    Map<String, Long> aliases = new HashMap<>();
    for (String alias : List.of(CHAMPION, CHALLENGER)) {
      OptionalLong version = pointedTo(log, model, alias, null);
      if (version.isPresent()) {
        aliases.put(alias, version.getAsLong());
      }
    }
    return aliases;
  }

  /**
   * The alias log's rows: small (a row per change), so read on the driver, no Spark job; none when
   * no alias was ever set.
   */
  private List<Row> aliasLog() {
    return lakehouse.rows(Tables.ALIAS_LOG);
  }

  /** The version the log's latest change of the alias until {@code until} (null: now) set. */
  private static OptionalLong pointedTo(
      List<Row> log, String model, String alias, Timestamp until) {
    Optional<Row> latest =
        log.stream()
            .filter(
                row -> model.equals(row.getAs("model_name")) && alias.equals(row.getAs("alias")))
            .filter(row -> until == null || !row.<Timestamp>getAs("changed_at").after(until))
            .max(java.util.Comparator.comparing(row -> row.<Timestamp>getAs("changed_at")));
    return latest.isEmpty() || latest.get().isNullAt(latest.get().fieldIndex("version"))
        ? OptionalLong.empty()
        : OptionalLong.of(latest.get().<Long>getAs("version"));
  }
}
