package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.parse.LabelPolicy;
import java.util.List;
import java.util.Map;

/** Everything the ingest job needs, read and checked before Spark starts. */
public record IngestSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    Kind kind,
    String source,
    List<String> files,
    QuarantinePolicy policy,
    double maxQuarantineRate,
    boolean schemaEvolution,
    ProfileSettings profile,
    String settingsHash) {
  public static final String USAGE =
      "ingest --config conf/application.conf --config conf/datasets/<name>.conf [--source NAME | --files"
          + " a.csv,b.csv] [--kind data|unlabelled|labels] [--set key=value]...";
  public static final Map<String, String> FLAGS =
      Map.of(
          "--source",
          "sluice.ingest.source",
          "--files",
          "sluice.ingest.files",
          "--kind",
          "sluice.ingest.kind");

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
    requireNonNull(kind, "kind is null");
    requireNonNull(source, "source is null");
    files = List.copyOf(files);
    requireNonNull(policy, "policy is null");
    requireNonNull(profile, "profile is null");
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static IngestSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static IngestSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    DatasetSpec dataset = DatasetSpecReader.read(config);
    SettingsReader ingest = SettingsReader.of(config.getConfig("sluice.ingest"), "sluice.ingest");
    String source = ingest.string("source");
    List<String> files = ingest.strings("files");
    Kind kind = ingest.oneOf("kind", Kind.class);
    if (kind == Kind.LABELS) {
      if (files.isEmpty()) {
        throw Errors.badSetting(
            ingest.path("files"),
            "labels batches are read from files, and none were given",
            "Pass --files labels.csv with --kind labels.");
      }
      dataset = dataset.labelsSpec(config.getString(DatasetSpec.PATH + ".labels.id-column"));
    }
    if (files.isEmpty() && !dataset.sources().containsKey(source)) {
      throw Errors.badSetting(
          ingest.path("source"),
          "no source named '"
              + source
              + "' in sluice.dataset.sources "
              + dataset.sources().keySet(),
          "Pass --source with one of those names, or --files.");
    }
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
        loaded.hash());
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
