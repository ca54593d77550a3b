package dev.sluice.common;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The one factory of user-facing errors: each says what happened, why, and how to fix it. */
public final class Errors {
  private Errors() {}

  public static SluiceException settings(String message, Throwable cause) {
    return new SluiceException(SluiceException.Kind.SETTINGS, message, cause);
  }

  public static SluiceException unknownSetting(String path, String suggestion) {
    String hint =
        suggestion.isEmpty()
            ? "Remove it, or check the spelling against common/src/main/resources/reference.conf."
            : "Did you mean '" + suggestion + "'?";
    return settings("Unknown setting '" + path + "': no such key is defined. " + hint, null);
  }

  public static SluiceException badSetting(String path, String problem, String fix) {
    return settings("Invalid setting '" + path + "': " + problem + ". " + fix, null);
  }

  public static SluiceException missingSetting(String path, String fix) {
    return settings("Missing setting '" + path + "': it has no default. " + fix, null);
  }

  public static SluiceException badArgument(String argument, String problem, String usage) {
    return settings("Invalid argument '" + argument + "': " + problem + ". Usage: " + usage, null);
  }

  public static SluiceException missingConfigFile(String file) {
    return settings(
        "Cannot read settings file '"
            + file
            + "': it does not exist or is not readable. Pass an existing file with --config.",
        null);
  }

  public static SluiceException noSourceFiles(String source, List<String> patterns) {
    return new SluiceException(
        SluiceException.Kind.DATA,
        "Cannot ingest source '"
            + source
            + "': no file matches "
            + patterns
            + ". Check the paths: those passed with --files, or sluice.dataset.sources."
            + source
            + ".",
        null);
  }

  public static SluiceException headerMismatch(
      String file, List<String> expected, List<String> actual) {
    return new SluiceException(
        SluiceException.Kind.DATA,
        "Cannot ingest "
            + file
            + ": its header names the columns "
            + actual
            + " but the data-set spec declares "
            + expected
            + ". Nothing was written. Fix the file, or update sluice.dataset.columns (a column's"
            + " header name is its source-name, or its name when it has none) and set"
            + " sluice.ingest.schema-evolution = true to evolve the table.",
        null);
  }

  public static SluiceException schemaMismatch(String table, String expected, String actual) {
    return new SluiceException(
        SluiceException.Kind.DATA,
        "Cannot write to table "
            + table
            + ": its schema "
            + actual
            + " differs from the data-set spec's "
            + expected
            + ". Nothing was written. Restore the spec, or set sluice.ingest.schema-evolution = true"
            + " to evolve the table.",
        null);
  }

  public static SluiceException quarantineRateExceeded(
      String batch, long bad, long rows, double maxRate, Map<String, Long> topReasons) {
    String reasons =
        topReasons.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "));
    return new SluiceException(
        SluiceException.Kind.DATA,
        String.format(
            "Rejected batch %s: %d of %d data rows (%.2f%%) failed validation, above the allowed %.2f%%"
                + " (sluice.ingest.quarantine.max-rate). Top reasons: %s. Nothing was written. Fix the"
                + " input, or raise the threshold if these rows are expected.",
            batch, bad, rows, 100.0 * bad / Math.max(rows, 1), 100.0 * maxRate, reasons),
        null);
  }

  /**
   * A job that uses the newest registered version found none. {@code purpose} completes "Cannot
   * ...": "promote", "report on".
   */
  public static SluiceException noRegisteredVersion(String purpose, String model) {
    return new SluiceException(
        SluiceException.Kind.DATA,
        "Cannot "
            + purpose
            + " model '"
            + model
            + "': no version of it is registered, so there is none to use. Run train first.",
        null);
  }

  /**
   * A job that uses the champion found none. {@code option} names the job's option that picks a
   * version instead, empty when it has none.
   */
  public static SluiceException noChampion(String purpose, String model, String option) {
    return new SluiceException(
        SluiceException.Kind.DATA,
        "Cannot "
            + purpose
            + " model '"
            + model
            + "': it has no champion yet, because no version of it has been promoted. Run promote"
            + (option.isEmpty() ? "" : ", or pass " + option + " N to use registered version N")
            + ".",
        null);
  }

  /** A version asked for with {@code option} is not in the registry. */
  public static SluiceException unregisteredVersion(
      String purpose, String model, long version, String option, List<Long> registered) {
    return new SluiceException(
        SluiceException.Kind.DATA,
        "Cannot "
            + purpose
            + " model '"
            + model
            + "' version "
            + version
            + ": it is not registered"
            + (registered.isEmpty()
                ? ", nor is any version of it. Run train first."
                : "; the registered versions are "
                    + registered
                    + ". Pass one of them with "
                    + option
                    + "."),
        null);
  }

  /** The champion alias names a version the registry does not hold: the two tables disagree. */
  public static SluiceException championNotRegistered(
      String purpose, String model, long version, List<Long> registered) {
    return new SluiceException(
        SluiceException.Kind.DATA,
        "Cannot "
            + purpose
            + " model '"
            + model
            + "': its champion alias (alias_log) points to version "
            + version
            + ", which model_registry does not hold (registered: "
            + registered
            + "). Restore model_registry, or run promote to point the champion at a registered"
            + " version.",
        null);
  }

  /** Settings whose substitutions ({@code ${...}}, {@code ${?ENV}}) cannot be resolved. */
  public static SluiceException unresolvableSettings(String problem, Throwable cause) {
    return settings(
        "Cannot resolve settings: "
            + problem
            + ". Define the key the substitution names, or set the environment variable it reads.",
        cause);
  }

  /** A settings file that is not valid HOCON. */
  public static SluiceException unparsableSettingsFile(
      String file, String problem, Throwable cause) {
    return settings(
        "Cannot parse settings file '"
            + file
            + "': "
            + problem
            + ". Fix the HOCON syntax at the line it names.",
        cause);
  }

  /** A SQL statement names a variable no {@code --var} gave a value. */
  public static SluiceException unsetVariable(String name) {
    return settings(
        "Cannot run the statement: variable ${"
            + name
            + "} has no value. Pass --var "
            + name
            + "=<value>.",
        null);
  }

  /** A file whose first data line is wider or narrower than the data-set spec. */
  public static SluiceException fieldCountMismatch(
      String file, int fields, List<String> columns, boolean labelMayBeAbsent) {
    return data(
        "Cannot ingest "
            + file
            + ": its first data line has "
            + fields
            + " fields but the data-set spec declares "
            + columns.size()
            + " columns "
            + columns
            + (labelMayBeAbsent ? " (or all but the label)" : "")
            + ". Nothing was written. Check sluice.dataset.csv.delimiter, or update"
            + " sluice.dataset.columns if the file's layout changed.");
  }

  /** Features asked of a data set that was never ingested. */
  public static SluiceException noRawTable(String dataset, String table) {
    return data(
        "Cannot build features for data set '"
            + dataset
            + "': its raw table "
            + table
            + " does not exist. Run ingest first.");
  }

  /** Features asked of a raw table version that does not exist yet. */
  public static SluiceException versionAhead(String table, long version, long latest, String flag) {
    return data(
        "Cannot build features from "
            + table
            + " version "
            + version
            + ": the latest version is "
            + latest
            + ". Pass "
            + flag
            + " "
            + latest
            + " or less.");
  }

  /** Training asked of a data set whose features were never built. */
  public static SluiceException noSnapshotTable(String model, String table) {
    return data(
        "Cannot train model '"
            + model
            + "': the snapshot table "
            + table
            + " does not exist. Run features first.");
  }

  /** A snapshot version with no row in its train split. */
  public static SluiceException emptyTrainSplit(String model, String table, long version) {
    return data(
        "Cannot train model '"
            + model
            + "': the train split of "
            + table
            + " v"
            + version
            + " is empty. Check sluice.features.split.");
  }

  /** A challenger whose snapshot has no row in its test split. */
  public static SluiceException emptyTestSplit(
      String model, long version, String table, long snapshotVersion) {
    return data(
        "Cannot promote "
            + model
            + " version "
            + version
            + ": the test split of "
            + table
            + " v"
            + snapshotVersion
            + " is empty, so there is nothing to judge it on. Give the test split rows"
            + " (sluice.features.split).");
  }

  /** A registered version with no row in {@code model_baselines}. */
  public static SluiceException noTrainingBaseline(String model, long version) {
    return data(
        "Cannot monitor "
            + model
            + " version "
            + version
            + ": it has no training baseline. Retrain it.");
  }

  /** Scoring the raw table of a data set that was never ingested. */
  public static SluiceException noInputTable(String table) {
    return data(
        "Cannot score: the input table "
            + table
            + " does not exist. Run ingest first, or pass --files.");
  }

  /** Scoring rows that lack a column the model was trained on. */
  public static SluiceException missingTrainedColumn(
      String table, String column, String model, long version) {
    return data(
        "Cannot score table "
            + table
            + ": column "
            + column
            + " is missing; it was present when model "
            + model
            + " version "
            + version
            + " was trained. Re-ingest with the model's data-set spec, or score with another"
            + " --model-version.");
  }

  /** Two training runs took the same version number; the later one must not overwrite it. */
  /**
   * The {@code sluice} source was loaded with a parse it does not hold: it reads only what Sluice's
   * parse hands it, while that load runs.
   */
  public static SluiceException unknownParse(String option, String id) {
    return new SluiceException(
        SluiceException.Kind.JOB,
        "Cannot read the sluice source: option "
            + option
            + "='"
            + id
            + "' names no parse under way. The source reads only the lines Sluice's parse"
            + " (BatchParser.accepted or quarantined) hands it; read a batch's rows from its tables"
            + " instead.",
        null);
  }

  public static SluiceException nativeLibraryUnavailable(
      String library,
      String platform,
      String carried,
      String settingsPath,
      String estimator,
      Throwable cause) {
    return new SluiceException(
        SluiceException.Kind.SETTINGS,
        String.format(
            "Invalid setting '%s': estimator '%s' needs %s's native library, which does not load on"
                + " this platform (%s); the job jar carries it for %s (%s). Remove '%s' from the"
                + " list, or run on one of those platforms.",
            settingsPath,
            estimator,
            library,
            platform,
            carried,
            cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
            estimator),
        cause);
  }

  public static SluiceException invariantBroken(String what) {
    return new SluiceException(
        SluiceException.Kind.JOB,
        "Internal invariant broken: " + what + ". Nothing was committed; please report this.",
        null);
  }

  public static SluiceException data(String message) {
    return new SluiceException(SluiceException.Kind.DATA, message, null);
  }

  public static SluiceException job(String message, Throwable cause) {
    return new SluiceException(SluiceException.Kind.JOB, message, cause);
  }

  public static SluiceException catalogConflict(String table, String registered, String location) {
    return new SluiceException(
        SluiceException.Kind.JOB,
        String.format(
            "Cannot register %s at %s: the catalog holds a managed table of that name at %s, and"
                + " replacing it would delete its data. Use another database for this lakehouse"
                + " (sluice.lakehouse.database), or drop or rename that table.",
            table, location, registered),
        null);
  }

  public static SluiceException nullInRequiredColumn(String table, String column) {
    return new SluiceException(
        SluiceException.Kind.JOB,
        String.format(
            "Cannot append to %s: a row holds a null in column %s, which the table declares NOT"
                + " NULL (NOT NULL constraint violated for column: %s). Nothing was written; fix the"
                + " code or data that built the row.",
            table, column, column),
        null);
  }
}
