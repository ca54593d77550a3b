import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.sluice.common.SluiceException;
import dev.sluice.common.settings.SettingsLoader;
import java.util.Map;

/**
 * Prints the {@code sluice.dataset} and {@code sluice.features} settings of a job's arguments as
 * one JSON object, resolved and checked exactly as a job reads them, without starting Spark: {@code
 * java -cp <job jar>:<spark jars> scripts/SettingsJson.java --config FILE... [--set k=v]...}
 * (Java's single-file launcher). scripts/simulate-production.sh reads a data set's format with it.
 */
final class SettingsJson {
  private static final String USAGE =
      "SettingsJson --config conf/application.conf --config FILE.conf [--set key=value]...";

  private SettingsJson() {}

  public static void main(String[] args) {
    try {
      Config sluice = SettingsLoader.load(args, Map.of(), USAGE).config().getConfig("sluice");
      Config shown = sluice.withOnlyPath("dataset").withFallback(sluice.withOnlyPath("features"));
      System.out.println(shown.root().render(ConfigRenderOptions.concise()));
    } catch (SluiceException e) {
      System.err.println("sluice: " + e.getMessage());
      System.exit(e.kind().exitCode());
    }
  }
}
