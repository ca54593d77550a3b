package dev.sluice.jobs.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The processes on this machine, as /proc shows them to their owner. */
final class ClusterProcesses {
  private ClusterProcesses() {}

  record Proc(long pid, String commandLine, Path workingDirectory) {}

  static List<Proc> all() {
    List<Proc> processes = new ArrayList<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String commandLine =
              new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8)
                  .replace('\0', ' ');
          Path cwd = Files.readSymbolicLink(entry.resolve("cwd"));
          processes.add(new Proc(Long.parseLong(name), commandLine, cwd));
        } catch (IOException | UnsupportedOperationException e) {
          // The process ended while being read, or is not ours to inspect.
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return processes;
  }

  /** The executors a worker of the cluster in {@code clusterDir} launched (cwd in its work dir). */
  static List<Proc> executors(Path clusterDir) {
    return all().stream()
        .filter(p -> p.commandLine().contains("CoarseGrainedExecutorBackend"))
        .filter(p -> p.workingDirectory().startsWith(clusterDir.resolve("work")))
        .toList();
  }
}
