package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.parse.LabelPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the ingest job needs, read and checked before Spark starts.
 *
 * @param dataset the spec the batch's lines are parsed with: {@code data}, or {@code labels} for a
 *     labels batch
 * @param data the data set's spec, as its data-set file declares it: its raw table's columns
 * @param labels the spec of the data set's delayed-labels files: its labels table's columns
 */
public record IngestSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    DatasetSpec data,
    DatasetSpec labels,
    Kind kind,
    String source,
    List<String> files,
    QuarantinePolicy policy,
    double maxQuarantineRate,
    boolean schemaEvolution,
    ProfileSettings profile,
    String landing,
    boolean fromLanding,
    String settingsHash) {
  /** The source of a batch of files given without a source name. */
  public static final String FILES_SOURCE = "files";

  /** The source of a batch from the data set's landing folder. */
  public static final String LANDING_SOURCE = "landing";

  public static final String USAGE =
      "ingest --config conf/application.conf --config conf/datasets/<name>.conf [--source NAME | --files"
          + " a.csv,b.csv | --from-landing] [--kind data|unlabelled|labels] [--set key=value]...";
  public static final Map<String, String> FLAGS =
      Map.of(
          "--source",
          "sluice.ingest.source",
          "--files",
          "sluice.ingest.files",
          "--kind",
          "sluice.ingest.kind",
          "--from-landing",
          "sluice.ingest.from-landing=true");

  /**
   * What a batch holds: labelled data rows; data rows to score whose labels come later or never
   * (the label may be blank or its column left out); or delayed labels of scored rows.
   */
  public enum Kind {
    DATA,
    UNLABELLED,
    LABELS
  }

  /** What happens to rows that fail validation. */
  public enum QuarantinePolicy {
    QUARANTINE,
    FAIL_FAST
  }

  /** How each accepted batch is profiled. */
  public record ProfileSettings(
      int topK, List<Double> quantiles, double quantileRelativeError, int valuesCountedInWrite) {
    public ProfileSettings {
      quantiles = List.copyOf(quantiles);
    }
  }

  public IngestSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(data, "data is null");
    requireNonNull(labels, "labels is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(source, "source is null");
    files = List.copyOf(files);
    requireNonNull(policy, "policy is null");
    requireNonNull(profile, "profile is null");
    requireNonNull(landing, "landing is null");
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static IngestSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static IngestSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    DatasetSpec data = DatasetSpecReader.read(config);
    SettingsReader ingest = SettingsReader.of(config.getConfig("sluice.ingest"), "sluice.ingest");
    String source = ingest.string("source");
    List<String> files = ingest.strings("files");
    Kind kind = ingest.oneOf("kind", Kind.class);
    boolean fromLanding = ingest.bool("from-landing");
    if (fromLanding && (!files.isEmpty() || !source.isEmpty())) {
      throw Errors.badSetting(
          ingest.path("from-landing"),
          "is true and " + ingest.path(files.isEmpty() ? "source" : "files") + " is set",
          "Ingest the landing folder's new files alone (--from-landing), or the files named.");
    }
    if (kind == Kind.LABELS && files.isEmpty() && !fromLanding) {
      throw Errors.badSetting(
          ingest.path("files"),
          "labels batches are read from files, and none were given",
          "Pass --files labels.csv with --kind labels.");
    }
    DatasetSpec labels = data.labelsSpec(config.getString(DatasetSpec.PATH + ".labels.id-column"));
    DatasetSpec dataset = kind == Kind.LABELS ? labels : data;
    source = fromLanding ? LANDING_SOURCE : source(ingest, source, files, dataset);
    SettingsReader quarantine = ingest.at("quarantine");
    SettingsReader profile = ingest.at("profile");
    List<Double> quantiles = profile.numbers("quantiles");
    for (double q : quantiles) {
      if (!(q >= 0 && q <= 1)) {
        throw Errors.badSetting(
            profile.path("quantiles"),
            "quantile " + q + " is outside [0, 1]",
            "Use probabilities in [0, 1].");
      }
    }
    double relativeError = profile.fraction("quantile-relative-error");
    if (relativeError <= 0) {
      throw Errors.badSetting(
          profile.path("quantile-relative-error"), "must be above 0", "Use e.g. 0.001.");
    }
    return new IngestSettings(
        LakehouseSettings.from(config),
        dataset,
        data,
        labels,
        kind,
        source,
        files,
        quarantine.oneOf("policy", QuarantinePolicy.class),
        quarantine.fraction("max-rate"),
        ingest.bool("schema-evolution"),
        new ProfileSettings(
            profile.positiveInt("top-k"),
            quantiles,
            relativeError,
            profile.positiveInt("values-counted-in-write")),
        config.getString(DatasetSpec.PATH + ".landing"),
        fromLanding,
        loaded.hash());
  }

  /**
   * The batch's source: the one named; unnamed, the files' batch is {@value #FILES_SOURCE}, and a
   * data set with one source ingests that one.
   */
  private static String source(
      SettingsReader ingest, String named, List<String> files, DatasetSpec dataset) {
    Set<String> sources = dataset.sources().keySet();
    if (named.isEmpty()) {
      if (!files.isEmpty()) {
        return FILES_SOURCE;
      }
      if (sources.size() == 1) {
        return sources.iterator().next();
      }
      throw Errors.badSetting(
          ingest.path("source"),
          sources.isEmpty()
              ? "sluice.dataset.sources names no source, and no files were given"
              : "the data set has several sources "
                  + new TreeSet<>(sources)
                  + " and none was named",
          sources.isEmpty()
              ? "Name the data set's files under sluice.dataset.sources, or pass --files."
              : "Pass --source with one of those names, or --files.");
    }
    if (files.isEmpty() && !sources.contains(named)) {
      throw Errors.badSetting(
          ingest.path("source"),
          "no source named '" + named + "' in sluice.dataset.sources " + sources,
          "Pass --source with one of those names, or --files.");
    }
    return named;
  }

  /**
   * The folder under the data set's landing folder this kind of batch arrives in: {@code batches}
   * (rows to score), {@code labels} (delayed labels) or {@code data} (labelled rows).
   */
  public String landingFolder() {
    String folder =
        switch (kind) {
          case UNLABELLED -> "batches";
          case LABELS -> "labels";
          case DATA -> "data";
        };
    return landing.replaceAll("/+$", "") + "/" + folder;
  }

  /** These settings for one file of the landing folder: a batch of its own. */
  public IngestSettings forLandingFile(String file) {
    return new IngestSettings(
        lakehouse,
        dataset,
        data,
        labels,
        kind,
        LANDING_SOURCE,
        List.of(file),
        policy,
        maxQuarantineRate,
        schemaEvolution,
        profile,
        landing,
        false,
        settingsHash);
  }

  /** The table accepted rows go to: the raw table, or the labels table of a labels batch. */
  public String table() {
    return kind == Kind.LABELS ? Tables.labels(dataset.name()) : Tables.raw(dataset.name());
  }

  /** Whether each line must carry its label: only rows to score may come without one. */
  public LabelPolicy labelPolicy() {
    return kind == Kind.UNLABELLED ? LabelPolicy.OPTIONAL : LabelPolicy.REQUIRED;
  }

  /** The files (or glob patterns) of this batch. */
  public List<String> batchFiles() {
    return files.isEmpty() ? dataset.sources().get(source) : files;
  }
}
