package dev.sluice.jobs.infer;

import dev.sluice.common.settings.DatasetSpecReader;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Table column names for a file's column names: a name the data-set file accepts as is stays; any
 * other becomes a plain one (accents dropped, lower case, each run of other characters one '_',
 * "column_N" for an empty name, "c_" before a leading digit) and keeps the file's name as its
 * {@code source-name}. Names stay distinct ignoring case, as Spark resolves them: a clash gets
 * "_2", "_3", ...
 */
final class ColumnNames {
  /** Room for a "_N" suffix within the 128 characters a column name may have. */
  private static final int MAX_BASE_LENGTH = 120;

  private ColumnNames() {}

  static List<String> assign(List<String> sourceNames) {
    String[] names = new String[sourceNames.size()];
    Set<String> taken = new HashSet<>();
    // Names that are already plain are kept first, so a made-up name never takes theirs.
    for (int i = 0; i < names.length; i++) {
      String name = sourceNames.get(i);
      if (DatasetSpecReader.isPlainColumnName(name) && taken.add(name.toLowerCase(Locale.ROOT))) {
        names[i] = name;
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i] != null) {
        continue;
      }
      String base = plain(sourceNames.get(i), i);
      String name = base;
      for (int n = 2;
          !DatasetSpecReader.isPlainColumnName(name) || !taken.add(name.toLowerCase(Locale.ROOT));
          n++) {
        name = base + "_" + n;
      }
      names[i] = name;
    }
    return List.of(names);
  }

  /** A plain name for the file's name of the column at {@code index}. */
  static String plain(String sourceName, int index) {
    String name =
        Normalizer.normalize(sourceName, Normalizer.Form.NFD)
            .replaceAll("\\p{M}+", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "_")
            .replaceAll("^_+|_+$", "");
    if (name.isEmpty()) {
      return "column_" + (index + 1);
    }
    if (!Character.isLetter(name.charAt(0))) {
      name = "c_" + name;
    }
    return name.length() > MAX_BASE_LENGTH ? name.substring(0, MAX_BASE_LENGTH) : name;
  }
}
