package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.testing.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmittedSettingsTest {
  private static final Path SUBMITTER = Path.of("/home/ann/project");
  private static final Map<String, String> INGEST_FLAGS =
      Map.of("--source", "sluice.ingest.source", "--files", "sluice.ingest.files");

  @TempDir Path dir;

  private Path tinyConf() throws Exception {
    Path conf = dir.resolve("tiny.conf");
    Files.writeString(
        conf,
        TestSpecs.TINY.replace(
                "sources { train = [] }",
                "sources { train = [\"data/a.csv\", \"/data/b.csv\"], \"my test\" = [\"hdfs://nn/c\"] }")
            + "\nsluice.dataset.landing = incoming\n");
    return conf;
  }

  @Test
  void theSettingsTravelAsOneArgumentWithEveryRelativePathMadeAbsolute() throws Exception {
    List<String> rewritten =
        SubmittedSettings.rewrite(
            List.of(
                "--config",
                tinyConf().toString(),
                "--source",
                "train",
                "--set",
                "sluice.lakehouse.root=lake",
                "--files=new/x.csv,/abs/y.csv,s3a://bucket/z.csv",
                "--set=sluice.train.folds=2"),
            SUBMITTER);

    assertThat(rewritten).hasSize(6);
    assertThat(rewritten.get(0)).isEqualTo(SubmittedSettings.ARGUMENT);
    assertThat(rewritten.subList(2, 6))
        .containsExactly(
            "--source",
            "train",
            "--files",
            "/home/ann/project/new/x.csv,/abs/y.csv,s3a://bucket/z.csv");

    // The driver reads the same settings from the one argument, its paths absolute.
    var settings =
        SettingsLoader.load(rewritten.toArray(String[]::new), INGEST_FLAGS, "ingest").config();
    assertThat(settings.getString("sluice.lakehouse.root")).isEqualTo("/home/ann/project/lake");
    assertThat(settings.getString("sluice.dataset.landing"))
        .isEqualTo("/home/ann/project/incoming");
    assertThat(settings.getStringList("sluice.dataset.sources.train"))
        .containsExactly("/home/ann/project/data/a.csv", "/data/b.csv");
    assertThat(settings.getStringList("sluice.dataset.sources.\"my test\""))
        .containsExactly("hdfs://nn/c");
    assertThat(settings.getInt("sluice.train.folds")).isEqualTo(2);
    assertThat(settings.getString("sluice.ingest.source")).isEqualTo("train");
    assertThat(settings.getStringList("sluice.ingest.files"))
        .containsExactly("/home/ann/project/new/x.csv", "/abs/y.csv", "s3a://bucket/z.csv");
    assertThat(settings.getString("sluice.dataset.name")).isEqualTo("tiny");
  }

  @Test
  void aSettingTheDriverWouldRejectFailsWhereTheJobIsSubmitted() throws Exception {
    assertThatThrownBy(
            () ->
                SubmittedSettings.rewrite(
                    List.of("--config", tinyConf().toString(), "--set", "sluice.trian.folds=2"),
                    SUBMITTER))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Unknown setting 'sluice.trian.folds'");
    assertThatThrownBy(
            () ->
                SubmittedSettings.rewrite(
                    List.of("--config", dir.resolve("missing.conf").toString()), SUBMITTER))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Cannot read settings file");
  }

  @Test
  void aResolvedArgumentThatIsNotBase64IsABadArgument() {
    assertThatThrownBy(
            () ->
                SettingsLoader.load(
                    new String[] {SubmittedSettings.ARGUMENT, "not base64!"}, Map.of(), "job"))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("not Base64");
  }

  @Test
  void onlyRelativeLocalPathsChange() {
    assertThat(SubmittedSettings.absolute("lake", SUBMITTER)).isEqualTo("/home/ann/project/lake");
    assertThat(SubmittedSettings.absolute("../lake/./x", SUBMITTER)).isEqualTo("/home/ann/lake/x");
    assertThat(SubmittedSettings.absolute("/lake", SUBMITTER)).isEqualTo("/lake");
    assertThat(SubmittedSettings.absolute("hdfs://nn:8020/lake", SUBMITTER))
        .isEqualTo("hdfs://nn:8020/lake");
    assertThat(SubmittedSettings.absolute("file:/lake", SUBMITTER)).isEqualTo("file:/lake");
    assertThat(SubmittedSettings.absolute("", SUBMITTER)).isEmpty();
  }
}
