package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 12: every file and folder a job writes through the scripts is private to the user (umask
 * 077 by default). Pass: after an ingest, nothing under the lakehouse grants any permission to
 * group or others, and the check does flag a file that does.
 */
class FilePermissionsIT {
  private static final Set<PosixFilePermission> SHARED =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  @TempDir Path dir;

  private static List<String> shared(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(
              p -> {
                try {
                  Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p);
                  permissions.retainAll(SHARED);
                  return !permissions.isEmpty();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .map(p -> root.relativize(p) + " " + permissionsOf(p))
          .toList();
    }
  }

  private static String permissionsOf(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void nothingTheJobWritesIsReadableByOthers() throws Exception {
    Path conf = TinyDataset.write(dir.resolve("data"), 20);
    Path lake = dir.resolve("lake");
    Scripts.Result result =
        Scripts.run(
            dir.resolve("logs"),
            "ingest",
            Map.of(),
            "spark-submit",
            Stream.concat(Stream.of("ingest"), Scripts.tinyJob(conf, lake).stream()).toList());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    try (Stream<Path> files = Files.walk(lake)) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count())
          .as("data files written")
          .isPositive();
    }
    assertThat(shared(lake)).isEmpty();

    // The check can fail: a file readable by others is reported.
    Path open =
        Files.createFile(
            lake.resolve("open.txt"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(shared(lake)).containsExactly("open.txt rw-r--r--");
  }
}
