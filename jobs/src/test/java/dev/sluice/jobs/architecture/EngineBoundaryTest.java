package dev.sluice.jobs.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine boundary: main code speaks to Spark, Delta and Parquet through their public APIs only.
 * What internal API remains lives in {@code dev.sluice.common.engine.internal}, each class there
 * beside a twin test that runs the public path on the same input. Spark's DataSource V2 contract
 * types ({@code catalyst.InternalRow}, {@code catalyst.util.ArrayData}/{@code MapData}) are public.
 */
class EngineBoundaryTest {
  private static final String INTERNAL_PACKAGE = "dev/sluice/common/engine/internal/";

  /** A qualified name in one of the internal packages, outside the allowed contract types. */
  private static final Pattern INTERNAL =
      Pattern.compile(
          "\\b(org\\.apache\\.spark\\.sql\\.(catalyst|delta|execution|internal|classic)\\.[\\w.$]+"
              + "|org\\.apache\\.parquet\\.[\\w.$]+"
              + "|io\\.delta\\.kernel\\.internal\\.[\\w.$]+"
              + "|org\\.apache\\.hadoop\\.mapreduce\\.task\\.[\\w.$]+)");

  private static final Pattern ALLOWED =
      Pattern.compile(
          "org\\.apache\\.spark\\.sql\\.catalyst\\.(InternalRow|util\\.(ArrayData|MapData))");

  /** Comments and string literals (a class name in a setting is not a use of the class). */
  private static final Pattern NOT_CODE =
      Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"(\\\\.|[^\"\\\\])*\"", Pattern.DOTALL);

  private static final List<Path> MAIN_SOURCES =
      List.of(Path.of("../common/src/main/java"), Path.of("src/main/java"));

  private static List<Path> javaFiles(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String code(Path file) {
    try {
      return NOT_CODE.matcher(Files.readString(file)).replaceAll("\"\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean internalPackage(Path file) {
    return file.toString().replace('\\', '/').contains(INTERNAL_PACKAGE);
  }

  @Test
  void noMainClassOutsideTheInternalPackageUsesSparkDeltaOrParquetInternals() {
    List<String> uses = new ArrayList<>();
    for (Path root : MAIN_SOURCES) {
      assertThat(root).isDirectory();
      for (Path file : javaFiles(root)) {
        if (internalPackage(file)) {
          continue;
        }
        Matcher matcher = INTERNAL.matcher(code(file));
        while (matcher.find()) {
          if (!ALLOWED.matcher(matcher.group()).matches()) {
            uses.add(root.relativize(file) + ": " + matcher.group());
          }
        }
      }
    }
    assertThat(uses).as("internal API outside " + INTERNAL_PACKAGE).isEmpty();
  }

  @Test
  void everyInternalUseIsListedAndHasATwinTestOfThePublicPath() {
    Path internal = Path.of("../common/src/main/java").resolve(INTERNAL_PACKAGE);
    Path twins = Path.of("../common/src/test/java").resolve(INTERNAL_PACKAGE);
    TreeSet<String> classes = new TreeSet<>();
    for (Path file : javaFiles(internal)) {
      String name = file.getFileName().toString().replace(".java", "");
      classes.add(name);
      assertThat(twins.resolve(name + "Test.java"))
          .as("the twin test of " + name + ", which runs the public path on the same input")
          .exists();
    }
    // Adding an internal use is a decision: it shows here, with its reason in the class's Javadoc.
    assertThat(classes)
        .containsExactly("DeltaLogTables", "ObservedMetrics", "SchemaRows", "StagedAppends");
  }
}
