package dev.sluice.jobs.reliability;

import dev.sluice.common.testing.TestSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The tiny data set as files a separate process can read: its data-set file and a clean batch. */
final class TinyDataset {
  private TinyDataset() {}

  /** Writes {@code tiny.conf} (the spec, source {@code train} = the batch) and the batch. */
  static Path write(Path dir, int rows) throws IOException {
    Files.createDirectories(dir);
    Path batch = dir.resolve("tiny.csv");
    Files.write(batch, lines(0, rows));
    Path conf = dir.resolve("tiny.conf");
    Files.writeString(
        conf,
        TestSpecs.TINY.replace(
            "sources { train = [] }", "sources { train = [\"" + batch + "\"] }"));
    return conf;
  }

  /** Clean lines {@code from} (inclusive) to {@code to} (exclusive): distinct and valid. */
  static List<String> lines(int from, int to) {
    List<String> lines = new ArrayList<>();
    for (int i = from; i < to; i++) {
      lines.add(
          String.join(
              ", ",
              Integer.toString(18 + i % 60),
              "wc" + i % 7,
              Integer.toString(i),
              i % 2 == 0 ? "Male" : "Female",
              i % 3 == 0 ? ">50K" : "<=50K"));
    }
    return lines;
  }

  /**
   * The settings that run the whole chain quickly on the tiny data set into {@code lakehouse}: one
   * estimator on 2 folds, a small bootstrap; as {@code --set} arguments.
   */
  static List<String> quickChain(String lakehouse) {
    List<String> args = new ArrayList<>();
    for (String set :
        List.of(
            "sluice.lakehouse.root=" + lakehouse,
            "sluice.train.estimators=[logistic-regression]",
            "sluice.train.folds=2",
            "sluice.promote.bootstrap.resamples=20")) {
      args.add("--set");
      args.add(set);
    }
    return args;
  }

  /** The Delta tables under a lakehouse on a local disk, by name. */
  static List<String> tables(Path lakehouse) throws IOException {
    try (Stream<Path> folders = Files.list(lakehouse)) {
      return folders
          .filter(folder -> Files.isDirectory(folder.resolve("_delta_log")))
          .map(folder -> folder.getFileName().toString())
          .sorted()
          .toList();
    }
  }
}
