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

  /**
   * A short hash of some sections only (e.g. {@code sluice.dataset}, {@code sluice.features}): what
   * a job's output depends on, so that changing an unrelated setting does not make it redo its
   * work.
   */
  public String hashOf(String... paths) {
    StringBuilder canonical = new StringBuilder();
    for (String path : paths) {
      canonical.append(path).append('=');
      if (config.hasPath(path)) {
        canonical.append(
            config
                .getValue(path)
                .render(com.typesafe.config.ConfigRenderOptions.concise().setJson(true)));
      }
      canonical.append('\n');
    }
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(canonical.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The {@code sluice} section as JSON, to store beside what the run produced. */
  public String json() {
    return config.getConfig(SettingsLoader.ROOT).root().render(ConfigRenderOptions.concise());
  }
}
