package dev.sluice.common.features;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Which columns are features and how each is treated, from the data-set spec and {@code
 * sluice.features}.
 */
public record FeatureSpec(List<NumericFeature> numeric, List<CategoricalFeature> categorical) {
  public static final String PATH = "sluice.features";

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
