package dev.sluice.common.settings;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.features.FeatureSpec.CategoricalFeature;
import dev.sluice.common.features.FeatureSpec.Impute;
import dev.sluice.common.features.FeatureSpec.NumericFeature;
import dev.sluice.common.features.FeatureSpec.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads and checks the {@code sluice.features} section into a {@link FeatureSpec}. */
public final class FeatureSpecReader {
  private static final String PATH = FeatureSpec.PATH;
  private static final Set<String> NUMERIC_KEYS = Set.of("impute", "scale", "transform", "buckets");
  private static final Set<String> CATEGORICAL_KEYS = Set.of("min-count");

  private FeatureSpecReader() {}

  public static FeatureSpec read(Config root, DatasetSpec dataset) {
    SettingsReader features = SettingsReader.of(root.getConfig(PATH), PATH);
    List<String> drop = features.strings("drop");
    Set<String> names = Set.copyOf(dataset.columnNames());
    for (String dropped : drop) {
      if (!names.contains(dropped)) {
        throw Errors.badSetting(
            features.path("drop"),
            "names no column '" + dropped + "' of the data set",
            "Use one of " + names + ".");
      }
    }
    Config overrides = root.getConfig(PATH + ".columns");
    for (String column : overrides.root().keySet()) {
      if (!names.contains(column)) {
        throw Errors.badSetting(
            features.path("columns." + column),
            "names no column of the data set",
            "Use one of " + names + ".");
      }
    }
    SettingsReader numericDefaults = features.at("numeric");
    SettingsReader categoricalDefaults = features.at("categorical");
    List<NumericFeature> numeric = new ArrayList<>();
    List<CategoricalFeature> categorical = new ArrayList<>();
    for (ColumnSpec column : dataset.columns()) {
      if (drop.contains(column.name())) {
        continue;
      }
      String quoted = "\"" + column.name() + "\"";
      SettingsReader override =
          overrides.hasPath(quoted)
              ? SettingsReader.of(overrides.getConfig(quoted), PATH + ".columns." + quoted)
              : null;
      if (column.role() == ColumnRole.NUMERIC) {
        checkKeys(overrides, quoted, NUMERIC_KEYS);
        SettingsReader s = pick(override, numericDefaults, "impute");
        Impute impute = s.oneOf("impute", Impute.class);
        boolean scale = pick(override, numericDefaults, "scale").bool("scale");
        Transform transform =
            pick(override, numericDefaults, "transform").oneOf("transform", Transform.class);
        int buckets = pick(override, numericDefaults, "buckets").positiveInt("buckets");
        if (transform == Transform.BUCKET && buckets < 2) {
          throw Errors.badSetting(
              features.path("numeric.buckets"), "must be at least 2", "Use 2 or more.");
        }
        numeric.add(new NumericFeature(column.name(), impute, scale, transform, buckets));
      } else if (column.role() == ColumnRole.CATEGORICAL) {
        checkKeys(overrides, quoted, CATEGORICAL_KEYS);
        categorical.add(
            new CategoricalFeature(
                column.name(),
                pick(override, categoricalDefaults, "min-count").positiveInt("min-count")));
      }
    }
    if (numeric.isEmpty() && categorical.isEmpty()) {
      throw Errors.badSetting(
          features.path("drop"),
          "leaves no feature column",
          "Keep at least one numeric or categorical column.");
    }
    return new FeatureSpec(numeric, categorical);
  }

  private static void checkKeys(Config overrides, String quoted, Set<String> allowed) {
    if (!overrides.hasPath(quoted)) {
      return;
    }
    for (String key : overrides.getConfig(quoted).root().keySet()) {
      if (!allowed.contains(key)) {
        throw Errors.unknownSetting(PATH + ".columns." + quoted + "." + key, "");
      }
    }
  }

  private static SettingsReader pick(SettingsReader override, SettingsReader defaults, String key) {
    return override != null && override.has(key) ? override : defaults;
  }
}
