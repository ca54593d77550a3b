package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 9: bad settings through the real spark-submit wrapper. Pass: exit code 2, the message
 * names the key (or the file), and Spark never started: event logging is on, yet no event log is
 * written and no lakehouse folder appears.
 */
class BadSettingsIT {
  @TempDir Path dir;

  private void assertRejectedBeforeSpark(String name, String expected, String... args)
      throws Exception {
    Path conf = TinyDataset.write(dir.resolve("data"), 3);
    Path events = Files.createDirectories(dir.resolve("events-" + name));
    Path lake = dir.resolve("lake");
    Scripts.Result result =
        Scripts.run(
            dir.resolve("logs"),
            name,
            Map.of(
                "SLUICE_SUBMIT_OPTS",
                "--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file:" + events),
            "spark-submit",
            Stream.concat(Stream.of("ingest"), Scripts.tinyJob(conf, lake, args).stream())
                .toList());
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
    assertThat(result.stderr()).contains("sluice ingest: " + expected);
    try (Stream<Path> written = Files.list(events)) {
      assertThat(written).as("event logs: Spark started").isEmpty();
    }
    assertThat(lake).doesNotExist();
  }

  @Test
  void anUnknownKey() throws Exception {
    assertRejectedBeforeSpark(
        "unknown",
        "Unknown setting 'sluice.ingest.quarantine.max-rat'",
        "--set",
        "sluice.ingest.quarantine.max-rat=0.1");
  }

  @Test
  void aWrongType() throws Exception {
    assertRejectedBeforeSpark(
        "type",
        "Invalid setting 'sluice.ingest.profile.top-k'",
        "--set",
        "sluice.ingest.profile.top-k=many");
  }

  @Test
  void aMissingFile() throws Exception {
    assertRejectedBeforeSpark(
        "missing", "Cannot read settings file 'conf/nope.conf'", "--config", "conf/nope.conf");
  }

  @Test
  void aNegativeFraction() throws Exception {
    assertRejectedBeforeSpark(
        "negative",
        "Invalid setting 'sluice.ingest.quarantine.max-rate'",
        "--set",
        "sluice.ingest.quarantine.max-rate=-0.01");
  }
}
