package dev.sluice.jobs.pipeline;

import dev.sluice.common.SluiceException;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.settings.SettingsLoader;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What the scripts need to know of a data-set file, read without starting Spark: its name and its
 * sources as declared, one tab-separated line each ({@code name\tchurn}, {@code source\tdaily}).
 * {@code scripts/run-pipeline.sh} ingests every source it lists.
 */
public final class DatasetSources {
  static final String USAGE =
      "DatasetSources --config conf/application.conf --config conf/datasets/<name>.conf"
          + " [--set key=value]...";

  private DatasetSources() {}

  public static void main(String[] args) {
    try {
      print(
          DatasetSpecReader.read(SettingsLoader.load(args, Map.of(), USAGE).config()), System.out);
    } catch (SluiceException e) {
      System.err.println("sluice: " + e.getMessage());
      System.exit(e.kind().exitCode());
    }
  }

  /** The data set's name, then each of its sources, as the scripts read them. */
  static void print(DatasetSpec spec, PrintStream out) {
    out.println("name\t" + spec.name());
    for (String source : List.copyOf(spec.sources().keySet())) {
      out.println("source\t" + source);
    }
  }
}
