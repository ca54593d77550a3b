package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.monitor.DriftTests;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Everything the monitor job needs, read and checked before Spark starts. */
public record MonitorSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    OptionalLong modelVersion,
    DriftTests tests,
    List<String> fairnessColumns,
    String settingsHash) {
  public static final String PATH = "sluice.monitor";
  public static final String USAGE =
      "monitor --config conf/application.conf --config conf/datasets/<name>.conf [--model-version N]";
  public static final Map<String, String> FLAGS =
      Map.of("--model-version", PATH + ".model-version");

  public MonitorSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(modelVersion, "modelVersion is null");
    requireNonNull(tests, "tests is null");
    fairnessColumns = List.copyOf(fairnessColumns);
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static MonitorSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  /** The PSI threshold of a feature's verdict. */
  public double psiThreshold() {
    return tests.psiThreshold();
  }

  public static MonitorSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    DatasetSpec dataset = DatasetSpecReader.read(config);
    SettingsReader monitor = SettingsReader.of(config.getConfig(PATH), PATH);
    long version = monitor.longValue("model-version");
    double threshold = monitor.number("psi-threshold");
    if (threshold <= 0) {
      throw Errors.badSetting(monitor.path("psi-threshold"), "must be above 0", "Use e.g. 0.2.");
    }
    SettingsReader tests = monitor.at("tests");
    DriftTests driftTests =
        new DriftTests(
            threshold,
            tests.longValue("small-sample-rows"),
            method(tests, "numeric.small", true),
            method(tests, "numeric.large", true),
            method(tests, "categorical.small", false),
            method(tests, "categorical.large", false),
            positive(tests, "alpha"),
            positive(tests, "wasserstein-threshold"),
            positive(tests, "jensen-shannon-threshold"),
            tests.bool("require-agreement"));
    // Empty: the promotion gate's slice columns.
    List<String> fairness = monitor.strings("fairness.columns");
    String fairnessPath = monitor.path("fairness.columns");
    if (fairness.isEmpty()) {
      fairness = config.getStringList("sluice.promote.slices.columns");
      fairnessPath = "sluice.promote.slices.columns";
    }
    for (String column : fairness) {
      if (!dataset.columnNames().contains(column)) {
        throw Errors.badSetting(
            fairnessPath,
            "'" + column + "' is not a column of the data set",
            "Use one of " + dataset.columnNames() + ".");
      }
    }
    return new MonitorSettings(
        LakehouseSettings.from(config),
        dataset,
        version < 0 ? OptionalLong.empty() : OptionalLong.of(version),
        driftTests,
        fairness,
        loaded.hash());
  }

  private static DriftTests.Method method(SettingsReader tests, String key, boolean numeric) {
    DriftTests.Method method = tests.oneOf(key, DriftTests.Method.class);
    if (method == DriftTests.Method.PSI || !method.appliesTo(numeric)) {
      throw Errors.badSetting(
          tests.path(key),
          method.tableName()
              + " is not a test of "
              + (numeric ? "numeric" : "categorical")
              + " features here",
          numeric
              ? "Use ks or wasserstein (or chi-square, jensen-shannon on the bins)."
              : "Use chi-square or jensen-shannon.");
    }
    return method;
  }

  private static double positive(SettingsReader reader, String key) {
    double value = reader.number(key);
    if (!(value > 0)) {
      throw Errors.badSetting(reader.path(key), "must be above 0", "Use e.g. 0.01.");
    }
    return value;
  }
}
