package dev.sluice.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.run.JobLauncher;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The jobs the sample pipeline chains, and infer, are found by name, each once, and prepare their
 * settings.
 */
class JobLaunchersTest {
  @Test
  void everyChainedJobAndInferIsAServiceOnce() {
    assertThat(ServiceLoader.load(JobLauncher.class).stream().map(p -> p.get().name()))
        .containsExactlyInAnyOrder(
            "ingest",
            "features",
            "train",
            "promote",
            "score",
            "monitor",
            "decide",
            "infer",
            "reproduce",
            "report");
  }

  @Test
  void preparingAJobBuildsItsSettingsAndABadKeyFailsBeforeAnySession() {
    assertThatThrownBy(
            () -> JobLauncher.named("features").prepare(new String[] {"--set", "sluice.nope=1"}))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("sluice.nope");
  }

  @Test
  void anUnknownJobIsNamed() {
    assertThatThrownBy(() -> JobLauncher.named("nope")).hasMessageContaining("no job named nope");
  }
}
