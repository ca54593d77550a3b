package dev.sluice.jobs.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.ReportSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.report.ReportJob;
import dev.sluice.jobs.report.ReportResult;
import dev.sluice.jobs.train.TrainJob;
import dev.sluice.jobs.train.TrainTestData;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJobTest extends SparkTestBase {
  private static final Pattern CHART =
      Pattern.compile(
          "<svg id='([a-z-]+)'[^>]*>.*?class='series' data-points='(\\d+)'", Pattern.DOTALL);

  @TempDir Path dir;

  private LoadedSettings settings() throws IOException {
    Map<String, String> sets = new HashMap<>();
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    sets.put("sluice.train.estimators", "[random-forest]");
    sets.put("sluice.features.split.train", "0.5");
    sets.put("sluice.features.split.validation", "0.2");
    sets.put("sluice.features.split.test", "0.3");
    sets.put("sluice.promote.slices.columns", "[c]");
    sets.put("sluice.promote.slices.min-rows", "10");
    sets.put("sluice.promote.bootstrap.resamples", "20");
    return TestSpecs.load(TrainTestData.spec(dir, TaskType.BINARY), sets);
  }

  @Test
  void everyChartIsThereWithItsPoints() throws IOException {
    new IngestJob(spark, IngestSettings.from(settings())).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings())).run();
    new TrainJob(spark, TrainSettings.from(settings())).run();
    new PromoteJob(spark, PromoteSettings.from(settings())).run();
    ReportResult result = new ReportJob(spark, ReportSettings.from(settings())).run();

    String html =
        Files.readString(Path.of(URI.create(result.path().replace("file:/", "file:///"))));
    Map<String, Integer> charts = new LinkedHashMap<>();
    Matcher matcher = CHART.matcher(html);
    while (matcher.find()) {
      charts.put(matcher.group(1), Integer.valueOf(matcher.group(2)));
    }
    assertThat(charts)
        .containsOnlyKeys("roc", "pr", "calibration", "tree-importance", "permutation-importance");
    assertThat(charts).isEqualTo(result.chartPoints());
    // Both curves come from the same thresholds: ROC adds (0,0) and (1,1), PR adds (0, precision at
    // the top).
    assertThat(charts.get("roc")).isEqualTo(charts.get("pr") + 1);
    assertThat(charts.get("calibration")).isBetween(2, 10);
    // Features x1, x2 and the index of c for the forest; the same three input columns permuted.
    assertThat(charts.get("tree-importance")).isEqualTo(3);
    assertThat(charts.get("permutation-importance")).isEqualTo(3);
    assertThat(html)
        .contains("<h2>Confusion matrix (test)</h2>")
        .contains("<h2>Slices (test, areaUnderROC)</h2>")
        .contains("Verdict PROMOTED")
        .contains("<td>snapshot</td><td>gen_snapshot v1</td>")
        // Self-contained: nothing is fetched (the SVG namespace URI is a name, not a request).
        .doesNotContain("<script")
        .doesNotContain("src=")
        .doesNotContain("href=")
        .doesNotContain("url(")
        .doesNotContain("@import");
  }
}
