package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's real scripts (spark-submit wrapper, cluster.sh) as separate processes. */
final class Scripts {
  static final Path HOME =
      Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();

  private Scripts() {}

  record Result(int exitCode, String stdout, String stderr) {}

  /** Builds, but does not start, {@code scripts/<script> args} with its output in {@code logs}. */
  static ProcessBuilder builder(
      Path logs, String name, Map<String, String> env, String script, List<String> args)
      throws IOException {
    Files.createDirectories(logs);
    List<String> command = new ArrayList<>();
    command.add(HOME.resolve("scripts").resolve(script).toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(HOME.toFile())
            .redirectOutput(logs.resolve(name + ".out").toFile())
            .redirectError(logs.resolve(name + ".err").toFile());
    builder.environment().putAll(env);
    return builder;
  }

  static Result run(
      Path logs, String name, Map<String, String> env, String script, List<String> args)
      throws IOException, InterruptedException {
    Process process = builder(logs, name, env, script, args).start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as(name + " finished").isTrue();
    return result(logs, name, process.exitValue());
  }

  static Result result(Path logs, String name, int exitCode) throws IOException {
    return new Result(
        exitCode,
        Files.readString(logs.resolve(name + ".out")),
        Files.readString(logs.resolve(name + ".err")));
  }

  /** The arguments that point a job at the tiny test data set and a lakehouse. */
  static List<String> tinyJob(Path datasetFile, Path lake, String... more) {
    List<String> args = new ArrayList<>(List.of("--config", datasetFile.toString()));
    args.addAll(List.of("--set", "sluice.lakehouse.root=" + lake));
    args.addAll(List.of(more));
    return args;
  }
}
