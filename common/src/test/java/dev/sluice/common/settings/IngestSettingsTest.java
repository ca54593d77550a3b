package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.CsvSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.LabelSpec;
import dev.sluice.common.dataset.SourceFormat;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.settings.IngestSettings.ProfileSettings;
import dev.sluice.common.settings.IngestSettings.QuarantinePolicy;
import dev.sluice.common.testing.TestSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestSettingsTest {
  private static final String MINIMAL =
      """
      sluice.dataset {
        name = minimal
        sources { train = ["in.csv"] }
        label { classes = [no, yes], positive-class = yes }
        columns = [ { name = x, role = numeric }, { name = y, role = label } ]
      }
      """;

  @Test
  void defaults() {
    IngestSettings settings = IngestSettings.from(TestSpecs.load(MINIMAL));
    double inf = Double.POSITIVE_INFINITY;
    DatasetSpec minimal =
        new DatasetSpec(
            "minimal",
            SourceFormat.CSV,
            new CsvSpec(",", "\"", false, true),
            List.of(),
            List.of(""),
            Map.of("train", List.of("in.csv")),
            TaskType.BINARY,
            new LabelSpec("y", List.of(), List.of("no", "yes"), "yes"),
            List.of(
                new ColumnSpec(
                    "x", ColumnRole.NUMERIC, ValueType.DOUBLE, true, -inf, inf, List.of()),
                new ColumnSpec(
                    "y", ColumnRole.LABEL, ValueType.STRING, true, -inf, inf, List.of())));
    assertThat(settings)
        .usingRecursiveComparison()
        .ignoringFields("settingsHash")
        .isEqualTo(
            new IngestSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                minimal,
                minimal,
                minimal.labelsSpec("id"),
                IngestSettings.Kind.DATA,
                "train",
                List.of(),
                QuarantinePolicy.QUARANTINE,
                0.05,
                false,
                new ProfileSettings(10, List.of(0.05, 0.25, 0.5, 0.75, 0.95), 0.001, 1000),
                "",
                false,
                "ignored"));
    assertThat(settings.settingsHash()).hasSize(16);
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    String full =
        """
        sluice {
          lakehouse { root = "hdfs://nn/lake", database = prod }
          dataset {
            name = full
            format = csv
            csv { delimiter = ";", quote = "", header = true, trim = false }
            comment-prefixes = ["#"]
            null-tokens = ["NA"]
            sources { train = ["a.csv", "b.csv"], new = ["c.csv"] }
            task = regression
            label { strip-suffixes = [], classes = [], positive-class = "" }
            column-defaults { nullable = false, type-by-role { categorical = string } }
            columns = [
              { name = id, role = id, type = long }
              { name = t, role = timestamp }
              { name = c, role = categorical, values = [a, b], nullable = true }
              { name = v, role = label, type = double, min = -1, max = 1 }
            ]
          }
          ingest {
            source = new
            files = []
            quarantine { policy = fail-fast, max-rate = 0.5 }
            schema-evolution = true
            profile { top-k = 3, quantiles = [0.5], quantile-relative-error = 0.01, values-counted-in-write = 2 }
          }
        }
        """;
    IngestSettings settings = IngestSettings.from(TestSpecs.load(full));
    assertThat(settings.lakehouse()).isEqualTo(new LakehouseSettings("hdfs://nn/lake", "prod"));
    DatasetSpec spec = settings.dataset();
    assertThat(spec.csv()).isEqualTo(new CsvSpec(";", "", true, false));
    assertThat(spec.commentPrefixes()).containsExactly("#");
    assertThat(spec.nullTokens()).containsExactly("NA");
    assertThat(spec.sources())
        .containsOnly(
            Map.entry("train", List.of("a.csv", "b.csv")), Map.entry("new", List.of("c.csv")));
    assertThat(spec.task()).isEqualTo(TaskType.REGRESSION);
    assertThat(spec.columns())
        .containsExactly(
            new ColumnSpec(
                "id",
                ColumnRole.ID,
                ValueType.LONG,
                false,
                Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY,
                List.of()),
            new ColumnSpec(
                "t",
                ColumnRole.TIMESTAMP,
                ValueType.TIMESTAMP,
                false,
                Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY,
                List.of()),
            new ColumnSpec(
                "c",
                ColumnRole.CATEGORICAL,
                ValueType.STRING,
                true,
                Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY,
                List.of("a", "b")),
            new ColumnSpec("v", ColumnRole.LABEL, ValueType.DOUBLE, false, -1, 1, List.of()));
    assertThat(settings.source()).isEqualTo("new");
    assertThat(settings.batchFiles()).containsExactly("c.csv");
    assertThat(settings.policy()).isEqualTo(QuarantinePolicy.FAIL_FAST);
    assertThat(settings.maxQuarantineRate()).isEqualTo(0.5);
    assertThat(settings.schemaEvolution()).isTrue();
    assertThat(settings.profile()).isEqualTo(new ProfileSettings(3, List.of(0.5), 0.01, 2));
  }

  @Test
  void fullIngestSectionMapsOntoTheRecord() {
    String full =
        TestSpecs.TINY
            + """
            sluice.ingest {
              source = later
              kind = unlabelled
              files = ["a.csv", "b.csv"]
              quarantine { policy = fail-fast, max-rate = 0.5 }
              schema-evolution = true
              from-landing = false
              profile {
                top-k = 3
                quantiles = [0.1, 0.9]
                quantile-relative-error = 0.01
                values-counted-in-write = 2
              }
            }
            """;
    assertThat(SectionKeys.in(full, "sluice.ingest"))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference("sluice.ingest"));
    LoadedSettings loaded = TestSpecs.load(full);
    assertThat(IngestSettings.from(loaded))
        .isEqualTo(
            new IngestSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                TinyDataset.SPEC,
                TinyDataset.SPEC.labelsSpec("id"),
                IngestSettings.Kind.UNLABELLED,
                "later",
                List.of("a.csv", "b.csv"),
                QuarantinePolicy.FAIL_FAST,
                0.5,
                true,
                new ProfileSettings(3, List.of(0.1, 0.9), 0.01, 2),
                "",
                false,
                loaded.hash()));
  }

  @Test
  void commandLineOverridesWinOverFiles(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("d.conf");
    Files.writeString(file, MINIMAL + "\nsluice.ingest.quarantine.max-rate = 0.2\n");
    IngestSettings settings =
        IngestSettings.load(
            new String[] {
              "--config",
              file.toString(),
              "--set",
              "sluice.ingest.quarantine.max-rate=0.3",
              "--files",
              "x.csv,y.csv"
            });
    assertThat(settings.maxQuarantineRate()).isEqualTo(0.3);
    assertThat(settings.batchFiles()).containsExactly("x.csv", "y.csv");
  }

  @Test
  void unknownKeyIsNamedWithASuggestion() {
    assertThatThrownBy(
            () -> IngestSettings.from(TestSpecs.load(MINIMAL + "sluice.ingest.max-rat = 1")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Unknown setting 'sluice.ingest.max-rat'");
    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(MINIMAL + "sluice.ingest.schema-evolutoin = true")))
        .hasMessageContaining("Did you mean 'sluice.ingest.schema-evolution'?");
  }

  @Test
  void wrongTypeIsNamed() {
    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(MINIMAL, Map.of("sluice.ingest.quarantine.max-rate", "lots"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.ingest.quarantine.max-rate'");
  }

  @Test
  void wrongTypeOfAnObjectIsCaughtAtLoad() {
    assertThatThrownBy(() -> TestSpecs.load(MINIMAL + "sluice.ingest.profile = 3"))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Invalid setting 'sluice.ingest.profile'");
  }

  @Test
  void negativeFractionIsRejected() {
    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(MINIMAL, Map.of("sluice.ingest.quarantine.max-rate", "-0.1"))))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.ingest.quarantine.max-rate': must be a fraction");
  }

  @Test
  void missingConfigFileIsNamed() {
    assertThatThrownBy(() -> IngestSettings.load(new String[] {"--config", "/no/such/file.conf"}))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith("Cannot read settings file '/no/such/file.conf'");
  }

  @Test
  void unknownArgumentShowsUsage() {
    assertThatThrownBy(() -> IngestSettings.load(new String[] {"--sauce", "x"}))
        .hasMessageStartingWith("Invalid argument '--sauce': unknown argument. Usage: ingest");
  }

  @Test
  void badEnumListsTheChoices() {
    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(MINIMAL, Map.of("sluice.ingest.quarantine.policy", "ignore"))))
        .hasMessage(
            "Invalid setting 'sluice.ingest.quarantine.policy': 'ignore' is not one of [quarantine, fail-fast]."
                + " Use one of [quarantine, fail-fast].");
  }

  @Test
  void unknownSourceIsRejected() {
    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(MINIMAL, Map.of("sluice.ingest.source", "later"))))
        .hasMessageStartingWith("Invalid setting 'sluice.ingest.source': no source named 'later'");
  }

  @Test
  void anUnnamedSourceIsTheOnlyOneOrTheFilesBatchAndSeveralMustBeNamed() {
    String one = MINIMAL.replace("sources { train = [\"in.csv\"] }", "sources { all = [\"d/\"] }");
    assertThat(IngestSettings.from(TestSpecs.load(one)).source()).isEqualTo("all");
    assertThat(IngestSettings.from(TestSpecs.load(one)).batchFiles()).containsExactly("d/");
    assertThat(
            IngestSettings.from(TestSpecs.load(one, Map.of("sluice.ingest.files", "x.csv")))
                .source())
        .isEqualTo(IngestSettings.FILES_SOURCE);

    String two =
        MINIMAL.replace(
            "sources { train = [\"in.csv\"] }", "sources { b = [\"b.csv\"], a = [\"a.csv\"] }");
    assertThatThrownBy(() -> IngestSettings.from(TestSpecs.load(two)))
        .hasMessage(
            "Invalid setting 'sluice.ingest.source': the data set has several sources [a, b] and"
                + " none was named. Pass --source with one of those names, or --files.");
    String none = MINIMAL.replace("sources { train = [\"in.csv\"] }", "");
    assertThatThrownBy(() -> IngestSettings.from(TestSpecs.load(none)))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.ingest.source': sluice.dataset.sources names no source");
  }

  @Test
  void columnProblemsNameTheColumnPath() {
    assertThatThrownBy(
            () ->
                DatasetSpecReader.read(
                    TestSpecs.load(
                            MINIMAL.replace("role = numeric }", "role = numeric, colour = red }"))
                        .config()))
        .hasMessageStartingWith("Unknown setting 'sluice.dataset.columns[0].colour'");
    assertThatThrownBy(
            () ->
                DatasetSpecReader.read(
                    TestSpecs.load(
                            MINIMAL.replace("name = x, role = numeric", "name = y, role = numeric"))
                        .config()))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.columns[1].name': column 'y' is declared twice");
    assertThatThrownBy(
            () ->
                DatasetSpecReader.read(
                    TestSpecs.load(MINIMAL.replace("name = x,", "name = batch_id,")).config()))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.columns[0].name': 'batch_id' is reserved");
    assertThatThrownBy(
            () ->
                DatasetSpecReader.read(
                    TestSpecs.load(
                            MINIMAL.replace("role = numeric", "role = numeric, min = 5, max = 1"))
                        .config()))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.columns[0].min': min 5.0 is above max 1.0");
    assertThatThrownBy(
            () ->
                DatasetSpecReader.read(
                    TestSpecs.load(
                            MINIMAL.replace("role = numeric", "role = numeric, type = string"))
                        .config()))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.columns[0].type': a numeric column cannot have type");
  }

  @Test
  void binaryTaskNeedsTwoClassesAndAPositiveOne() {
    assertThatThrownBy(
            () ->
                DatasetSpecReader.read(
                    TestSpecs.load(
                            MINIMAL.replace("positive-class = yes", "positive-class = maybe"))
                        .config()))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.dataset.label.positive-class': 'maybe' is not one of");
  }

  @Test
  void missingNameAndColumns() {
    assertThatThrownBy(
            () ->
                DatasetSpecReader.read(
                    TestSpecs.load("sluice.dataset.columns = [{name = y, role = label}]").config()))
        .hasMessageStartingWith("Missing setting 'sluice.dataset.name'");
    assertThatThrownBy(
            () -> DatasetSpecReader.read(TestSpecs.load("sluice.dataset.name = n").config()))
        .hasMessageStartingWith("Missing setting 'sluice.dataset.columns'");
  }

  @Test
  void levenshteinDistance() {
    assertThat(SettingsLoader.levenshtein("kitten", "sitting")).isEqualTo(3);
    assertThat(SettingsLoader.levenshtein("", "abc")).isEqualTo(3);
    assertThat(SettingsLoader.levenshtein("same", "same")).isZero();
  }

  @Test
  void aLabelsBatchIsTheRowIdAndTheLabelCheckedAsTheDataSetChecksIt() {
    IngestSettings labels =
        IngestSettings.from(
            TestSpecs.load(
                MINIMAL, Map.of("sluice.ingest.kind", "labels", "sluice.ingest.files", "l.csv")));
    double inf = Double.POSITIVE_INFINITY;
    assertThat(labels.table()).isEqualTo("minimal_labels");
    assertThat(labels.dataset().columns())
        .containsExactly(
            new ColumnSpec("id", ColumnRole.ID, ValueType.STRING, false, -inf, inf, List.of()),
            new ColumnSpec("y", ColumnRole.LABEL, ValueType.STRING, true, -inf, inf, List.of()));
    assertThat(labels.dataset().label().classes()).containsExactly("no", "yes");
    assertThat(labels.labels()).isEqualTo(labels.dataset());
    IngestSettings data = IngestSettings.from(TestSpecs.load(MINIMAL));
    assertThat(data.table()).isEqualTo("minimal_raw");
    // Both specs whatever the kind: the first ingest creates the raw and the labels table.
    assertThat(labels.data()).isEqualTo(data.dataset()).isEqualTo(data.data());
    assertThat(data.labels()).isEqualTo(labels.dataset());

    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(MINIMAL, Map.of("sluice.ingest.kind", "labels"))))
        .hasMessageContaining("sluice.ingest.files")
        .hasMessageContaining("Pass --files labels.csv with --kind labels.");
    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(
                        MINIMAL,
                        Map.of(
                            "sluice.ingest.kind", "labels",
                            "sluice.ingest.files", "l.csv",
                            "sluice.dataset.labels.id-column", "y"))))
        .hasMessageContaining("sluice.dataset.labels.id-column");
    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(MINIMAL, Map.of("sluice.dataset.labels.id-column", "y"))))
        .hasMessageContaining("sluice.dataset.labels.id-column");
  }

  @Test
  void fromLandingReadsTheKindsFolderOfTheDataSetsLandingFolder() {
    IngestSettings settings =
        IngestSettings.from(
            TestSpecs.load(
                TestSpecs.TINY,
                Map.of(
                    "sluice.dataset.landing", "/data/in/",
                    "sluice.ingest.from-landing", "true",
                    "sluice.ingest.kind", "labels")));
    assertThat(settings.fromLanding()).isTrue();
    assertThat(settings.landingFolder()).isEqualTo("/data/in/labels");
    IngestSettings file = settings.forLandingFile("/data/in/labels/day-1.csv");
    assertThat(file.fromLanding()).isFalse();
    assertThat(file.batchFiles()).containsExactly("/data/in/labels/day-1.csv");
    assertThat(file.source()).isEqualTo(IngestSettings.LANDING_SOURCE);
    assertThatThrownBy(
            () ->
                IngestSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY,
                        Map.of(
                            "sluice.ingest.from-landing", "true",
                            "sluice.ingest.files", "[a.csv]"))))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.ingest.from-landing': is true and sluice.ingest.files is set");
  }
}
