package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.FeatureSpec;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Everything the report job needs, read and checked before Spark starts. */
public record ReportSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    FeatureSpec features,
    OptionalLong modelVersion,
    int maxRows,
    long seed,
    List<String> sliceColumns,
    String metric,
    String settingsHash) {
  public static final String PATH = "sluice.report";
  public static final String USAGE =
      "report --config conf/application.conf --config conf/datasets/<name>.conf [--model-version N]";
  public static final Map<String, String> FLAGS =
      Map.of("--model-version", PATH + ".model-version");

  public ReportSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(features, "features is null");
    requireNonNull(modelVersion, "modelVersion is null");
    sliceColumns = List.copyOf(sliceColumns);
    requireNonNull(metric, "metric is null");
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static ReportSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static ReportSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    PromoteSettings promote = PromoteSettings.from(loaded);
    SettingsReader report = SettingsReader.of(config.getConfig(PATH), PATH);
    long version = report.longValue("model-version");
    return new ReportSettings(
        LakehouseSettings.from(config),
        promote.dataset(),
        FeatureSpecReader.read(config, promote.dataset()),
        version < 0 ? OptionalLong.empty() : OptionalLong.of(version),
        report.positiveInt("max-rows"),
        report.longValue("seed"),
        promote.slices().columns(),
        promote.metric(),
        loaded.hash());
  }
}
