package dev.sluice.jobs.ingest;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.IngestSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code ingest --from-landing}: every file of the data set's landing folder for the batch kind, in
 * name order, each ingested as its own batch. Files are content-addressed, so one ingested by an
 * earlier run adds nothing and costs no Spark job; the first file that fails stops the run, and the
 * files before it stay ingested.
 */
final class LandingIngest {
  private final JobSession session;
  private final IngestSettings settings;

  LandingIngest(JobSession session, IngestSettings settings) {
    this.session = requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  /** The batches of one run over the landing folder. */
  record Result(String folder, List<IngestResult> batches) implements JobResult {
    Result {
      batches = List.copyOf(batches);
    }

    /** The batches this run wrote (the others were ingested before). */
    List<IngestResult> written() {
      return batches.stream().filter(batch -> !batch.alreadyIngested()).toList();
    }

    @Override
    public String summary() {
      String header =
          folder.isEmpty()
              ? "== sluice ingest --from-landing: the data set names no landing folder"
                  + " (sluice.dataset.landing): nothing to ingest =="
              : String.format(
                  "== sluice ingest --from-landing: %s: %d files, %d new batches ==",
                  folder, batches.size(), written().size());
      return header
          + System.lineSeparator()
          + written().stream().map(IngestResult::summary).collect(Collectors.joining());
    }
  }

  Result run() {
    if (settings.landing().isEmpty()) {
      return new Result("", List.of());
    }
    String folder = settings.landingFolder();
    List<IngestResult> batches = new ArrayList<>();
    for (String file : files(folder)) {
      batches.add(new IngestJob(session, settings.forLandingFile(file)).run());
    }
    return new Result(folder, batches);
  }

  /** The folder's files in name order, without hidden ones; none when the folder is missing. */
  private List<String> files(String folder) {
    Path path = new Path(folder);
    try {
      FileSystem fs = path.getFileSystem(session.hadoopConfiguration());
      if (!fs.exists(path)) {
        return List.of();
      }
      if (!fs.getFileStatus(path).isDirectory()) {
        throw Errors.badSetting(
            "sluice.dataset.landing",
            folder + " is a file, not a folder",
            "Point sluice.dataset.landing at a folder holding batches/ and labels/.");
      }
      return Arrays.stream(fs.listStatus(path))
          .filter(FileStatus::isFile)
          .map(status -> status.getPath())
          .filter(file -> !file.getName().startsWith(".") && !file.getName().startsWith("_"))
          .map(Path::toString)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the landing folder " + folder, e);
    }
  }
}
