package dev.sluice.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import org.junit.jupiter.api.Test;

/**
 * The loop's plan: every job's settings built from the same arguments before any session, {@code
 * --no-retrain} read by the loop itself, and a bad argument failing before Spark starts.
 */
class ProductionLoopTest {
  private static final String[] DATASET = {
    "--config", "../conf/application.conf", "--config", "../conf/datasets/adult.conf"
  };

  @Test
  void thePlanNamesTheDataSetsModelAndRetrainsByDefault() {
    ProductionLoop.Plan plan = ProductionLoop.plan(DATASET);
    assertThat(plan.model()).isEqualTo("adult");
    assertThat(plan.retrain()).isTrue();
  }

  @Test
  void noRetrainIsTheLoopsOwnSwitch() {
    String[] args = new String[DATASET.length + 1];
    System.arraycopy(DATASET, 0, args, 0, DATASET.length);
    args[DATASET.length] = "--no-retrain";
    assertThat(ProductionLoop.plan(args).retrain()).isFalse();
  }

  @Test
  void aBadKeyOrArgumentFailsBeforeAnySession() {
    assertThatThrownBy(
            () ->
                ProductionLoop.plan(
                    new String[] {
                      "--config", "../conf/application.conf", "--set", "sluice.nope=1"
                    }))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("sluice.nope");
    assertThatThrownBy(() -> ProductionLoop.plan(new String[] {"--retrain-now"}))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("--retrain-now")
        .hasMessageContaining("--no-retrain");
  }
}
