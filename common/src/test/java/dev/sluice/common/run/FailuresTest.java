package dev.sluice.common.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.SluiceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void aHostThatDoesNotAnswerIsNamedWhereverItsFailureIsWrapped() {
    ConnectException refused =
        new ConnectException("Call to localhost:8020 failed: Connection refused");
    RuntimeException wrapped =
        new RuntimeException(
            "read failed", new UncheckedIOException(new IOException("log", refused)));

    assertThat(Failures.unreachable(wrapped))
        .hasValueSatisfying(
            error -> {
              assertThat(error.kind()).isEqualTo(SluiceException.Kind.JOB);
              assertThat(error)
                  .hasMessage(
                      "A host the job needs did not answer (the lakehouse's file system: for HDFS"
                          + " its NameNode, for S3 its endpoint): Call to localhost:8020 failed:"
                          + " Connection refused. Every commit the job made is whole and none was"
                          + " half made: bring the host back and run the job again, and it does"
                          + " only what is left.")
                  .hasCause(wrapped);
            });
    assertThat(Failures.unreachable(new UnknownHostException("namenode"))).isPresent();
    assertThat(Failures.unreachable(new RuntimeException(new IOException("disk full")))).isEmpty();
  }
}
