package dev.sluice.common.dataset;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;

/** The label column and how raw label values are normalised and checked. */
public record LabelSpec(
    String column, List<String> stripSuffixes, List<String> classes, String positiveClass)
    implements Serializable {
  public LabelSpec {
    requireNonNull(column, "column is null");
    stripSuffixes = List.copyOf(requireNonNull(stripSuffixes, "stripSuffixes is null"));
    classes = List.copyOf(requireNonNull(classes, "classes is null"));
    requireNonNull(positiveClass, "positiveClass is null");
  }

  /** The label as the model sees it: trimmed and without the configured suffixes. */
  public String normalize(String raw) {
    String value = raw.trim();
    for (String suffix : stripSuffixes) {
      if (!suffix.isEmpty() && value.endsWith(suffix)) {
        value = value.substring(0, value.length() - suffix.length());
        break;
      }
    }
    return value;
  }
}
