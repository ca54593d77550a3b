package dev.sluice.common.train.xgboost;

import dev.sluice.common.Errors;
import java.util.Locale;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost's native library, loaded from the job jar (xgboost4j carries it for Linux on x86_64 and
 * aarch64) before any XGBoost estimator is used, so that a platform it cannot load on fails at
 * start with the platform named instead of inside a Spark task.
 */
public final class XGBoostNative {
  /** The platforms the job jar carries XGBoost's native library for. */
  static final String CARRIED = "linux x86_64 and linux aarch64";

  private XGBoostNative() {}

  /**
   * Loads the native library by building a one-cell matrix (the first use of XGBoost's JNI loads
   * it) or fails with an error that names the platform and {@code settingsPath}.
   */
  public static void check(String settingsPath) {
    try {
      new DMatrix(new float[] {0f}, 1, 1, Float.NaN).dispose();
    } catch (LinkageError | RuntimeException | XGBoostError e) {
      throw unavailable(settingsPath, platform(), e);
    }
  }

  /** This JVM's operating system and architecture, as Java names them. */
  static String platform() {
    return System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT)
        + " "
        + System.getProperty("os.arch", "unknown");
  }

  static RuntimeException unavailable(String settingsPath, String platform, Throwable cause) {
    return Errors.nativeLibraryUnavailable(
        "XGBoost", platform, CARRIED, settingsPath, "xgboost", cause);
  }
}
