package dev.sluice.jobs.infer;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.sluice.common.Errors;
import dev.sluice.common.InferErrors;
import dev.sluice.common.SluiceException;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.InferSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.SettingsLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;

/**
 * Drafts a data-set file from a sample of one CSV or JSON-lines file: its layout, null tokens, each
 * column's name, type and role, the task and its classes, and a split, every choice with its reason
 * as a comment. The sample is read on the driver through Hadoop's file systems, so infer runs no
 * Spark job and writes no table; the session lends it its Hadoop configuration ({@code
 * spark.hadoop.*}, such as s3a credentials). The draft is read back with the data-set and features
 * readers before it is written, so the file written always loads; an existing file is overwritten
 * only with {@code --force}.
 */
public final class InferJob {
  static final String JOB = "infer";

  private final Configuration hadoop;
  private final InferSettings settings;

  public InferJob(Configuration hadoop, InferSettings settings) {
    this.hadoop = requireNonNull(hadoop, "hadoop is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        InferSettings::load,
        (session, settings) -> new InferJob(session.hadoopConfiguration(), settings).run());
  }

  public InferResult run() {
    long started = System.nanoTime();
    SampleLines sample = SampleLines.read(settings.file(), settings.sampleRows(), hadoop);
    FileLayout layout = FileLayout.detect(sample.lines(), settings.file());
    SampledTable table =
        SampledTable.of(
            sample, layout, settings.label(), settings.sampleRows(), settings.nullCandidates());
    int labelIndex = table.labelIndex(settings.label(), settings.file());
    List<ColumnSample> samples = table.columns();
    TaskDraft task = TaskDraft.of(samples.get(labelIndex), settings);
    List<ColumnDraft> columns = draftColumns(table.sourceNames(), samples, labelIndex, task);
    String text = DatasetFile.render(settings, table, task, columns);
    checkLoads(text);
    write(text);
    return new InferResult(
        settings.name(),
        settings.output(),
        settings.file(),
        table.rowCount() + table.unfitLines(),
        table.wholeFile(),
        layout.format(),
        task.task(),
        task.classes().size(),
        columns.stream()
            .collect(Collectors.groupingBy(c -> c.spec().role(), Collectors.counting())),
        (int) columns.stream().filter(c -> c.spec().renamed()).count(),
        (System.nanoTime() - started) / 1e9);
  }

  /** Each column's draft in file order, under the names infer gives them. */
  private List<ColumnDraft> draftColumns(
      List<String> sourceNames, List<ColumnSample> samples, int labelIndex, TaskDraft task) {
    List<String> names = ColumnNames.assign(sourceNames);
    List<ColumnDraft> columns = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      columns.add(
          i == labelIndex
              ? ColumnDraft.label(names.get(i), samples.get(i), task, settings.label())
              : ColumnDraft.of(names.get(i), samples.get(i), settings));
    }
    if (columns.stream()
        .noneMatch(
            c ->
                c.spec().role() == ColumnRole.NUMERIC
                    || c.spec().role() == ColumnRole.CATEGORICAL)) {
      throw InferErrors.cannotInfer(
          settings.file(),
          "no column besides the label is a feature: "
              + columns.stream()
                  .map(c -> c.spec().name() + " (" + c.reason() + ")")
                  .collect(Collectors.joining(" ")),
          "A model needs a numeric or categorical column; check the file.");
    }
    return columns;
  }

  /** Reads the draft back as a job would, so that a file that does not load is never written. */
  private void checkLoads(String text) {
    try {
      LoadedSettings loaded =
          SettingsLoader.fromLayers(List.of(ConfigFactory.parseString(text)), Map.of());
      DatasetSpecReader.read(loaded.config());
      FeaturesSettings.from(loaded);
    } catch (SluiceException | ConfigException e) {
      throw Errors.job(
          "Cannot write data-set file "
              + settings.output()
              + ": the draft does not load ("
              + e.getMessage()
              + "). Nothing was written; please report this with the file you sampled.",
          e);
    }
  }

  private void write(String text) {
    Path output = settings.output();
    try {
      if (output.toAbsolutePath().getParent() != null) {
        Files.createDirectories(output.toAbsolutePath().getParent());
      }
      if (settings.force()) {
        Files.writeString(output, text);
      } else {
        Files.writeString(output, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } catch (FileAlreadyExistsException e) {
      throw InferErrors.dataSetFileExists(output.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + output, e);
    }
  }
}
