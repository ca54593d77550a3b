package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

/** The merged, validated settings tree and a short hash of it, recorded with every run. */
public record LoadedSettings(Config config, String hash) {
  public LoadedSettings {
    requireNonNull(config, "config is null");
    requireNonNull(hash, "hash is null");
  }

  public SettingsReader reader() {
    return new SettingsReader(config);
  }

  /** The {@code sluice} section as JSON, to store beside what the run produced. */
  public String json() {
    return config.getConfig(SettingsLoader.ROOT).root().render(ConfigRenderOptions.concise());
  }
}
