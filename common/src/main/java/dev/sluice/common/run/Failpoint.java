package dev.sluice.common.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pause point for crash tests: with the JVM property {@code dev.sluice.failpoint} (outside the
 * {@code sluice} settings tree, which system properties also feed) set to {@code
 * <job>:<step>@<marker file>} (spaces in the step as dashes), the job writes the marker once that
 * step has finished and waits there, for the test to kill it with SIGKILL. Unset, as in every real
 * run, it does nothing.
 */
final class Failpoint {
  static final String PROPERTY = "dev.sluice.failpoint";

  private Failpoint() {}

  /** Pauses for good when the property names this step; returns at once otherwise. */
  static void after(String job, String step) {
    String point = System.getProperty(PROPERTY);
    if (point == null || point.indexOf('@') < 0) {
      return;
    }
    String name = point.substring(0, point.indexOf('@'));
    if (!name.equals(job + ":" + step.replace(' ', '-'))) {
      return;
    }
    try {
      Files.writeString(Path.of(point.substring(point.indexOf('@') + 1)), name);
      while (true) {
        Thread.sleep(60_000);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
