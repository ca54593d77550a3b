package dev.sluice.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Copies of a lakehouse folder, so that tests which need the same trained state build it once and
 * each start from their own copy. Delta tables are relocatable (their log names data files by
 * relative path); the registry's artifact paths still point at the original's models, which the
 * copies only read.
 */
public final class TestLakehouses {
  private TestLakehouses() {}

  /** Copies the folder {@code from}, with every file and its attributes, to {@code to}. */
  public static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy the lakehouse " + from + " to " + to, e);
    }
  }
}
