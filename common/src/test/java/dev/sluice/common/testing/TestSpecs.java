package dev.sluice.common.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.SettingsLoader;
import java.util.List;
import java.util.Map;

/** Settings for tests, built from HOCON text the way a data-set file would give them. */
public final class TestSpecs {
  private TestSpecs() {}

  /**
   * A small binary data set shaped like UCI Adult's quirks: ", " delimiter, "?" nulls, "|" junk,
   * "." labels.
   */
  public static final String TINY =
      """
      sluice.dataset {
        name = tiny
        csv { delimiter = ", " }
        comment-prefixes = ["|"]
        null-tokens = ["?", ""]
        sources { train = [] }
        task = binary
        label { strip-suffixes = ["."], classes = ["<=50K", ">50K"], positive-class = ">50K" }
        columns = [
          { name = age, role = numeric, type = int, min = 0, max = 120, nullable = false }
          { name = workclass, role = categorical }
          { name = hours, role = numeric, type = double }
          { name = sex, role = categorical, values = ["Male", "Female"] }
          { name = income, role = label }
        ]
      }
      """;

  public static LoadedSettings load(String hocon, Map<String, String> sets) {
    Config file = ConfigFactory.parseString(hocon);
    return SettingsLoader.fromLayers(List.of(file), sets);
  }

  public static LoadedSettings load(String hocon) {
    return load(hocon, Map.of());
  }
}
