package dev.sluice.common.run;

/** What a job returns: a one-screen summary for the person who ran it. */
public interface JobResult {
  String summary();

  /** The process exit code the result stands for; 0 unless the job says otherwise. */
  default int exitCode() {
    return 0;
  }
}
