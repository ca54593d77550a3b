package dev.sluice.common.run;

import dev.sluice.common.Errors;
import dev.sluice.common.SluiceException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/** What a job that failed unexpectedly tells its user, when the failure's causes say more. */
final class Failures {
  private Failures() {}

  /**
   * The job failed because a host it needs did not answer (the file system of the lakehouse, say
   * HDFS's NameNode or an S3 endpoint): {@code failure} as such an error when a connection failure
   * is among its causes, empty otherwise.
   */
  static Optional<SluiceException> unreachable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof NoRouteToHostException
          || cause instanceof UnknownHostException) {
        return Optional.of(
            Errors.job(
                "A host the job needs did not answer (the lakehouse's file system: for HDFS its"
                    + " NameNode, for S3 its endpoint): "
                    + Objects.requireNonNullElse(cause.getMessage(), cause.toString())
                    + ". Every commit the job made is whole and none was half made: bring the host"
                    + " back and run the job again, and it does only what is left.",
                failure));
      }
    }
    return Optional.empty();
  }
}
