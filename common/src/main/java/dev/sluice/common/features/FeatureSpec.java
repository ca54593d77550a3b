package dev.sluice.common.features;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.settings.SettingsReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Which columns are features and how each is treated, from the data-set spec and {@code
 * sluice.features}.
 */
public record FeatureSpec(List<NumericFeature> numeric, List<CategoricalFeature> categorical) {
  public static final String PATH = "sluice.features";
  private static final Set<String> NUMERIC_KEYS = Set.of("impute", "scale", "transform", "buckets");
  private static final Set<String> CATEGORICAL_KEYS = Set.of("min-count");

  /** How missing numeric values are filled: from the training split's median or mean. */
  public enum Impute {
    MEDIAN,
    MEAN
  }

  /** A transformation applied to a numeric column before imputation. */
  public enum Transform {
    NONE,
    LOG,
    BUCKET
  }

  public record NumericFeature(
      String name, Impute impute, boolean scale, Transform transform, int buckets) {
    public NumericFeature {
      requireNonNull(name, "name is null");
      requireNonNull(impute, "impute is null");
      requireNonNull(transform, "transform is null");
    }
  }

  public record CategoricalFeature(String name, int minCount) {
    public CategoricalFeature {
      requireNonNull(name, "name is null");
    }
  }

  public FeatureSpec {
    numeric = List.copyOf(numeric);
    categorical = List.copyOf(categorical);
  }

  public static FeatureSpec from(Config root, DatasetSpec dataset) {
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

  /** The names of every feature column, numeric first. */
  public List<String> columns() {
    List<String> all = new ArrayList<>();
    numeric.forEach(f -> all.add(f.name()));
    categorical.forEach(f -> all.add(f.name()));
    return all;
  }

  /** A short hash of the definition: two snapshots with the same hash were built the same way. */
  public String hash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
