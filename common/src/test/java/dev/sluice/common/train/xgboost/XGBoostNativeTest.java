package dev.sluice.common.train.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.common.SluiceException;
import org.junit.jupiter.api.Test;

class XGBoostNativeTest {
  @Test
  void loadsOnThisPlatform() {
    assertThatCode(() -> XGBoostNative.check("sluice.train.estimators")).doesNotThrowAnyException();
  }

  @Test
  void aLibraryThatDoesNotLoadIsASettingsErrorNamingThePlatform() {
    RuntimeException error =
        XGBoostNative.unavailable(
            "sluice.train.estimators-by-task.binary",
            "linux ppc64le",
            new UnsatisfiedLinkError("no xgboost4j in java.library.path"));
    assertThat(error)
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Invalid setting 'sluice.train.estimators-by-task.binary': estimator 'xgboost' needs"
                + " XGBoost's native library, which does not load on this platform (linux ppc64le);"
                + " the job jar carries it for linux x86_64 and linux aarch64"
                + " (UnsatisfiedLinkError: no xgboost4j in java.library.path). Remove 'xgboost'"
                + " from the list, or run on one of those platforms.")
        .hasCauseInstanceOf(UnsatisfiedLinkError.class);
    assertThat(((SluiceException) error).kind()).isEqualTo(SluiceException.Kind.SETTINGS);
  }
}
