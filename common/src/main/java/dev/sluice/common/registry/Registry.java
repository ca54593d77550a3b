package dev.sluice.common.registry;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.table.AliasLogTable;
import dev.sluice.common.table.ModelRegistryTable;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;

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
    return versions(model).mapToLong(ModelVersion::version).max().orElse(0) + 1;
  }

  /**
   * The version already registered for a training key, if any: training the same thing twice
   * registers once.
   */
  public OptionalLong versionFor(String model, String trainingKey) {
    return versions(model)
        .filter(registered -> trainingKey.equals(registered.trainingKey()))
        .mapToLong(ModelVersion::version)
        .findFirst();
  }

  /**
   * Appends a version's row. The write is keyed by model and version, so a retried registration
   * adds nothing; a version taken meanwhile by another run fails with a clear message.
   */
  public void register(Row row, String model, long version) {
    lakehouse.create(ModelRegistryTable.SPEC);
    String appId = "register/" + model + "/" + version;
    if (!lakehouse.committed(ModelRegistryTable.NAME, appId, 0) && nextVersion(model) != version) {
      throw Errors.job(
          "Cannot register "
              + model
              + " version "
              + version
              + ": another training run registered it meanwhile. Re-run train.",
          null);
    }
    lakehouse.appendOnce(ModelRegistryTable.SPEC, List.of(row), appId, 1);
  }

  /** A registered version. */
  public Optional<ModelVersion> version(String model, long version) {
    return versions(model).filter(registered -> registered.version() == version).findFirst();
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
          .max(Comparator.comparingLong(ModelVersion::version))
          .orElseThrow(() -> Errors.noRegisteredVersion(purpose, model));
    }
    long chosen =
        requested.isPresent()
            ? requested.getAsLong()
            : alias(model, CHAMPION).orElseThrow(() -> Errors.noChampion(purpose, model, option));
    // One read of the registry serves the lookup and the versions an error lists.
    List<ModelVersion> registered = versions(model).toList();
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
   * The registered versions of a model, none before the first registration. The registry is small
   * (a row per version), so it is read on the driver: no Spark job (see {@link Lakehouse#rows}).
   */
  public Stream<ModelVersion> versions(String model) {
    return lakehouse.rows(ModelRegistryTable.NAME).stream()
        .map(ModelVersion::from)
        .filter(registered -> model.equals(registered.model()));
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
    AliasLogTable.Entry change =
        new AliasLogTable.Entry(model, alias, version, alias(model, alias), at, reason, runId);
    lakehouse.append(AliasLogTable.SPEC, List.of(change.toRow()));
  }

  /** The version an alias points to now. */
  public OptionalLong alias(String model, String alias) {
    return aliasAt(model, alias, null);
  }

  /** The version an alias pointed to at {@code at} (null: now). */
  public OptionalLong aliasAt(String model, String alias, Instant at) {
    return pointedTo(aliasLog(), model, alias, at);
  }

  /** Every alias of a model and where it points now. */
  public Map<String, Long> aliases(String model) {
    List<AliasLogTable.Entry> log = aliasLog();
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
  private List<AliasLogTable.Entry> aliasLog() {
    return lakehouse.rows(AliasLogTable.NAME).stream().map(AliasLogTable.Entry::from).toList();
  }

  /** The version the log's latest change of the alias until {@code until} (null: now) set. */
  private static OptionalLong pointedTo(
      List<AliasLogTable.Entry> log, String model, String alias, Instant until) {
    Optional<AliasLogTable.Entry> latest =
        log.stream()
            .filter(change -> model.equals(change.modelName()) && alias.equals(change.alias()))
            .filter(change -> until == null || !change.changedAt().isAfter(until))
            .max(Comparator.comparing(AliasLogTable.Entry::changedAt));
    return latest.map(AliasLogTable.Entry::version).orElse(OptionalLong.empty());
  }
}
