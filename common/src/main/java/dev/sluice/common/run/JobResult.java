package dev.sluice.common.run;

import java.util.Optional;

/** What a job returns: a one-screen summary for the person who ran it. */
public interface JobResult {
  String summary();

  /** The process exit code the result stands for; 0 unless the job says otherwise. */
  default int exitCode() {
    return 0;
  }

  /**
   * The one-word outcome a runner that chains jobs branches on: decide's {@code RETRAIN} or {@code
   * NO_RETRAIN}, reproduce's {@code MATCH} or {@code MISMATCH}, promote's verdict; empty for a job
   * that has none.
   */
  default Optional<String> outcome() {
    return Optional.empty();
  }
}
