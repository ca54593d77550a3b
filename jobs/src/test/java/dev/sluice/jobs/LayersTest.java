package dev.sluice.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layering rules, checked on the source tree: no job package uses another (the sample pipeline
 * finds the jobs as services), and neither the job jar nor {@code common} holds benchmark code or
 * knows the sample data set; those live in the bench module.
 */
class LayersTest {
  private static final Pattern JOB_REFERENCE =
      Pattern.compile("\\bdev\\.sluice\\.jobs\\.([a-z_][a-z0-9_]*)\\.");
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  /** Surefire runs in the module's folder: jobs/. */
  private static final Path JOBS_MAIN = Path.of("src", "main");

  private static final Path COMMON_MAIN = Path.of("..", "common", "src", "main");

  @Test
  void noJobPackageUsesAnother() {
    Path sources = JOBS_MAIN.resolve("java");
    assertThat(sources.resolve("dev/sluice/jobs/score/ScoreJob.java")).exists();
    assertThat(crossJobReferences(sources)).isEmpty();
  }

  @Test
  void noBenchmarkCodeInTheJobJarOrCommon() {
    assertThat(COMMON_MAIN.resolve("java/dev/sluice/common/Errors.java")).exists();
    List<String> found = new ArrayList<>(benchPackages(JOBS_MAIN));
    found.addAll(benchPackages(COMMON_MAIN));
    assertThat(found).isEmpty();
  }

  @Test
  void neitherTheJobJarNorCommonNamesTheSampleDataSet() {
    List<String> found = new ArrayList<>(mentions(JOBS_MAIN, "adult"));
    found.addAll(mentions(COMMON_MAIN, "adult"));
    assertThat(found).isEmpty();
  }

  /** The checks themselves, on a tree whose violations are known. */
  @Test
  void theChecksFindWhatTheyLookFor(@TempDir Path dir) {
    Path java = dir.resolve("java");
    write(java, "dev/sluice/jobs/score/ScoreJob.java", "package dev.sluice.jobs.score;\n");
    write(
        java,
        "dev/sluice/jobs/reproduce/ReproduceJob.java",
        "package dev.sluice.jobs.reproduce;\n\nimport dev.sluice.jobs.train.TrainJob;\n");
    write(
        java,
        "dev/sluice/jobs/report/Charts.java",
        "package dev.sluice.jobs.report;\n\nclass Charts {\n"
            + "  Object o = new dev.sluice.jobs.notebook.Notebook();\n"
            + "  Object p = new dev.sluice.jobs.report.Html();\n}\n");
    write(
        java,
        "dev/sluice/jobs/pipeline/SamplePipeline.java",
        "package dev.sluice.jobs.pipeline;\n\nimport dev.sluice.jobs.score.ScoreJob;\n");
    write(java, "dev/sluice/jobs/bench/Bare.java", "package dev.sluice.jobs.bench;\n");
    write(java, "dev/sluice/other/Timer.java", "package dev.sluice.common.bench.timing;\n");
    write(dir, "resources/bench/sizes.conf", "sizes = [\"Adult-like\"]\n");

    assertThat(crossJobReferences(java))
        .containsExactlyInAnyOrder(
            "dev/sluice/jobs/reproduce/ReproduceJob.java (package reproduce) uses"
                + " dev.sluice.jobs.train",
            "dev/sluice/jobs/report/Charts.java (package report) uses dev.sluice.jobs.notebook",
            "dev/sluice/jobs/pipeline/SamplePipeline.java (package pipeline) uses"
                + " dev.sluice.jobs.score");
    assertThat(benchPackages(dir))
        .containsExactlyInAnyOrder(
            "java/dev/sluice/jobs/bench/Bare.java",
            "java/dev/sluice/other/Timer.java",
            "resources/bench/sizes.conf");
    assertThat(mentions(dir, "adult")).containsExactly("resources/bench/sizes.conf:1");
  }

  /** Every use of another job package by a class of a job package. */
  private static List<String> crossJobReferences(Path sources) {
    List<String> found = new ArrayList<>();
    Path jobs = sources.resolve("dev/sluice/jobs");
    for (Path file : files(jobs)) {
      if (!file.toString().endsWith(".java")) {
        continue;
      }
      Path relative = jobs.relativize(file);
      String own = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
      // Imports and fully qualified names alike; the package line names only its own package.
      Matcher matcher = JOB_REFERENCE.matcher(PACKAGE.matcher(read(file)).replaceAll(""));
      List<String> used = new ArrayList<>();
      while (matcher.find()) {
        String other = matcher.group(1);
        if (!other.equals(own) && !used.contains(other)) {
          used.add(other);
          found.add(
              sources.relativize(file) + " (package " + own + ") uses dev.sluice.jobs." + other);
        }
      }
    }
    return found;
  }

  /** Files under {@code main} in a folder or a package named bench. */
  private static List<String> benchPackages(Path main) {
    List<String> found = new ArrayList<>();
    for (Path file : files(main)) {
      Path relative = main.relativize(file);
      boolean inBenchFolder = false;
      for (Path part : relative) {
        inBenchFolder |= part.toString().equals("bench");
      }
      boolean inBenchPackage = false;
      if (file.toString().endsWith(".java")) {
        Matcher declared = PACKAGE.matcher(read(file));
        inBenchPackage =
            declared.find() && List.of(declared.group(1).split("\\.")).contains("bench");
      }
      if (inBenchFolder || inBenchPackage) {
        found.add(relative.toString());
      }
    }
    return found;
  }

  /** The lines, as file:line, of files under {@code main} that contain {@code word}, any case. */
  private static List<String> mentions(Path main, String word) {
    List<String> found = new ArrayList<>();
    for (Path file : files(main)) {
      String[] lines = read(file).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].toLowerCase(Locale.ROOT).contains(word)) {
          found.add(main.relativize(file) + ":" + (i + 1));
        }
      }
    }
    return found;
  }

  private static List<Path> files(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException(root.toAbsolutePath() + " is not a folder");
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path root, String relative, String content) {
    Path file = root.resolve(relative);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
