package dev.sluice.common;

/**
 * A failure a user can act on; its message says what went wrong, why, and how to fix it. Made only
 * by {@link Errors}.
 */
public final class SluiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Kind kind;

  /** What the failure is about; decides the exit code of a job. */
  public enum Kind {
    /** A setting or argument is wrong; nothing ran. */
    SETTINGS(2),
    /** The input data or a table violates a precondition; nothing was written. */
    DATA(3),
    /** The job ran and failed. */
    JOB(1);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  SluiceException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
