package dev.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
  @TempDir Path dir;

  private SparkConf conf(String... pairs) {
    SparkConf conf = new SparkConf(false);
    for (int i = 0; i < pairs.length; i += 2) {
      conf.set(pairs[i], pairs[i + 1]);
    }
    return conf;
  }

  @Test
  void aDriverTheClusterLaunchedReadsTheSecretFromTheFileItIsGiven() throws Exception {
    Path file = dir.resolve("auth.properties");
    Files.writeString(
        file, "# the cluster's\nspark.authenticate=true\nspark.authenticate.secret=s3cr3t\n");
    assertThat(
            Sessions.clusterSecret(
                conf("spark.authenticate", "true", Sessions.SECRET_FILE, file.toString())))
        .contains("s3cr3t");
    // Nothing to add: authentication off, a secret already there, or no file named.
    assertThat(Sessions.clusterSecret(conf(Sessions.SECRET_FILE, file.toString()))).isEmpty();
    assertThat(
            Sessions.clusterSecret(
                conf(
                    "spark.authenticate",
                    "true",
                    "spark.authenticate.secret",
                    "given",
                    Sessions.SECRET_FILE,
                    file.toString())))
        .isEmpty();
    assertThat(Sessions.clusterSecret(conf("spark.authenticate", "true"))).isEmpty();
  }

  @Test
  void aMissingOrEmptySecretFileIsNamed() throws Exception {
    Path missing = dir.resolve("missing.properties");
    assertThatThrownBy(
            () ->
                Sessions.clusterSecret(
                    conf("spark.authenticate", "true", Sessions.SECRET_FILE, missing.toString())))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Cannot read the cluster's secret from " + missing);
    Path empty = dir.resolve("empty.properties");
    Files.writeString(empty, "spark.authenticate=true\n");
    assertThatThrownBy(
            () ->
                Sessions.clusterSecret(
                    conf("spark.authenticate", "true", Sessions.SECRET_FILE, empty.toString())))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            empty
                + " (spark.sluice.authenticate.secretFile) has no spark.authenticate.secret. Write"
                + " the cluster's secret there.");
  }
}
