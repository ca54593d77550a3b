package dev.sluice.jobs.infer;

import dev.sluice.common.InferErrors;
import dev.sluice.common.parse.SourceLines;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The first lines of a file, read on the driver through Hadoop's file systems (local, hdfs://,
 * s3a://) and codecs, as ingest reads them. Blank lines are left out: ingest skips them too.
 *
 * @param lines the non-blank lines read, at most one more than the data lines asked for (the first
 *     may be a header)
 * @param endOfFile whether the file ended within them
 */
record SampleLines(List<String> lines, boolean endOfFile) {
  SampleLines {
    lines = List.copyOf(lines);
  }

  /** Reads up to {@code dataLines} + 1 non-blank lines of {@code file}. */
  static SampleLines read(String file, int dataLines, Configuration hadoop) {
    checkIsFile(file, hadoop);
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = SourceLines.open(file, hadoop)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        if (lines.size() == dataLines + 1) {
          return new SampleLines(lines, false);
        }
        lines.add(line);
      }
      return new SampleLines(lines, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private static void checkIsFile(String file, Configuration hadoop) {
    Path path = new Path(file);
    FileStatus status;
    try {
      status = path.getFileSystem(hadoop).getFileStatus(path);
    } catch (FileNotFoundException e) {
      throw InferErrors.cannotInfer(
          file, "it does not exist", "Pass an existing file (local, hdfs:// or s3a://).");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    if (!status.isFile()) {
      throw InferErrors.cannotInfer(
          file,
          "it is a folder",
          "Pass one of its files: the data-set file's sources can then name the folder.");
    }
  }
}
