package dev.sluice.jobs.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.settings.DecideSettings;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.ScoreSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.table.PredictionsTable;
import dev.sluice.common.testing.FileStatistics;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestLakehouses;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.decide.DecideJob;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.score.ScoreJob;
import dev.sluice.jobs.score.ScoreResult;
import dev.sluice.jobs.train.TrainTestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromoteAndScoreJobTest extends SparkTestBase {
  /** Score every row of the raw table (--all), training rows included. */
  private static final Map<String, String> ALL_ROWS = Map.of("sluice.score.all", "true");

  private static final String GOOD = "{regParam = [0.0], maxIter = [50]}";
  private static final String ABSURD =
      "{regParam = [1000.0], elasticNetParam = [1.0], maxIter = [50]}";

  /** A lakehouse trained once with {@link #GOOD} (ingest, features, train). */
  @TempDir static Path trained;

  /**
   * {@link #trained} with its version 1 promoted once with {@link #GOOD} (champion from no
   * champion): the tests that start from a champion copy it instead of each running the same
   * promotion.
   */
  @TempDir static Path promoted;

  @TempDir Path dir;

  private static LoadedSettings settings(Path root, String grid, Map<String, String> overrides)
      throws IOException {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", root.resolve("lake").toString());
    sets.put("sluice.train.estimators", "[logistic-regression]");
    sets.put("sluice.train.grids.logistic-regression", grid);
    sets.put("sluice.promote.bootstrap.resamples", "50");
    sets.put("sluice.features.split.test", "0.3");
    sets.put("sluice.features.split.validation", "0.2");
    sets.put("sluice.features.split.train", "0.5");
    // Every copy reads the same data file, so the batch it ingested stays the same batch.
    return TestSpecs.load(TrainTestData.spec(trained, TaskType.BINARY), sets);
  }

  private LoadedSettings settings(String grid, Map<String, String> overrides) throws IOException {
    return settings(dir, grid, overrides);
  }

  private static void trainWith(Path root, String grid) throws IOException {
    new IngestJob(spark, IngestSettings.from(settings(root, grid, Map.of()))).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings(root, grid, Map.of()))).run();
    new dev.sluice.jobs.train.TrainJob(spark, TrainSettings.from(settings(root, grid, Map.of())))
        .run();
  }

  @BeforeAll
  static void trainAndPromoteOnce() throws IOException {
    trainWith(trained, GOOD);
    TestLakehouses.copy(trained.resolve("lake"), promoted.resolve("lake"));
    new PromoteJob(spark, PromoteSettings.from(settings(promoted, GOOD, Map.of()))).run();
  }

  /** This test's own copy of the trained lakehouse, no champion yet. */
  private void copyTrained() {
    TestLakehouses.copy(trained.resolve("lake"), dir.resolve("lake"));
  }

  /** This test's own copy of the trained lakehouse whose version 1 is the champion. */
  private void copyPromoted() {
    TestLakehouses.copy(promoted.resolve("lake"), dir.resolve("lake"));
  }

  private PromoteResult promote(String grid, Map<String, String> overrides) throws IOException {
    return new PromoteJob(spark, PromoteSettings.from(settings(grid, overrides))).run();
  }

  private Registry registry() {
    return new Registry(
        new Lakehouse(spark, new LakehouseSettings(dir.resolve("lake").toString(), "sluice")));
  }

  private long count(String table) {
    return spark.read().format("delta").load(dir.resolve("lake").resolve(table).toString()).count();
  }

  @Test
  void aDeliberatelyWorseChallengerIsRejectedAndTheChampionStays() throws IOException {
    copyTrained();
    // The trained version waits for the gate as the challenger; once decided it is not one.
    assertThat(registry().aliases("gen")).containsExactly(Map.entry(Registry.CHALLENGER, 1L));
    PromoteResult first = promote(GOOD, Map.of());
    assertThat(first.verdict()).isEqualTo("PROMOTED");
    assertThat(registry().aliases("gen")).containsExactly(Map.entry(Registry.CHAMPION, 1L));

    trainWith(dir, ABSURD);
    assertThat(registry().alias("gen", Registry.CHALLENGER)).hasValue(2);
    PromoteResult second = promote(ABSURD, Map.of());
    assertThat(second.challenger()).isEqualTo(2);
    assertThat(second.verdict()).isEqualTo("REJECTED");
    assertThat(second.reason()).contains("improvement_ci_low");
    assertThat(registry().alias("gen", Registry.CHAMPION)).hasValue(1);

    assertThat(registry().aliases("gen")).containsExactly(Map.entry(Registry.CHAMPION, 1L));

    PromoteResult again = promote(ABSURD, Map.of());
    assertThat(again.alreadyDecided()).isTrue();
    assertThat(count("promotion_log")).isEqualTo(2);
    assertThat(championChanges()).isEqualTo(1);

    // An operator makes v2 the champion anyway: logged with the reason, no gate; once only.
    assertThatThrownBy(() -> promote(ABSURD, Map.of("sluice.promote.rollback-to", "2")))
        .hasMessageContaining("--reason");
    Map<String, String> rollback =
        Map.of("sluice.promote.rollback-to", "2", "sluice.promote.reason", "v1 is retired");
    PromoteResult rolled = promote(ABSURD, rollback);
    assertThat(rolled.verdict()).isEqualTo("ROLLED_BACK");
    assertThat(registry().alias("gen", Registry.CHAMPION)).hasValue(2);
    assertThat(
            spark
                .read()
                .format("delta")
                .load(dir.resolve("lake/alias_log").toString())
                .where("alias = 'champion' AND version = 2")
                .select("previous_version", "reason")
                .collectAsList())
        .extracting(Object::toString)
        .containsExactly("[1,rolled back: v1 is retired]");
    assertThat(promote(ABSURD, rollback).verdict()).isEqualTo("ALREADY_CHAMPION");
    assertThat(count("promotion_log")).isEqualTo(3);
    assertThat(championChanges()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                promote(
                    ABSURD,
                    Map.of("sluice.promote.rollback-to", "9", "sluice.promote.reason", "typo")))
        .hasMessageContaining("version 9");
  }

  /** The champion alias's changes in alias_log. */
  private long championChanges() {
    return spark
        .read()
        .format("delta")
        .load(dir.resolve("lake/alias_log").toString())
        .where("alias = 'champion'")
        .count();
  }

  @Test
  void aPromotionLoggedBeforeItsRunStoppedIsCompletedByTheNextRun() throws IOException {
    // The state a run leaves when it stops between its two commits: the decision in
    // promotion_log, the alias_log of before it (no champion).
    copyTrained();
    assertThat(promote(GOOD, Map.of()).verdict()).isEqualTo("PROMOTED");
    org.apache.commons.io.FileUtils.deleteDirectory(dir.resolve("lake/alias_log").toFile());
    TestLakehouses.copy(
        trained.resolve("lake").resolve("alias_log"), dir.resolve("lake/alias_log"));
    assertThat(count("promotion_log")).isEqualTo(1);
    assertThat(registry().alias("gen", Registry.CHAMPION)).isEmpty();

    PromoteResult completed = promote(GOOD, Map.of());
    assertThat(completed.verdict()).isEqualTo("PROMOTED");
    assertThat(completed.alreadyDecided()).isFalse();
    assertThat(registry().aliases("gen")).containsExactly(Map.entry(Registry.CHAMPION, 1L));
    assertThat(count("promotion_log")).isEqualTo(1);
    assertThat(championChanges()).isEqualTo(1);

    // The challenger is the champion now: a new decision that moves nothing.
    PromoteResult again = promote(GOOD, Map.of());
    assertThat(again.verdict()).isEqualTo("ALREADY_CHAMPION");
    assertThat(championChanges()).isEqualTo(1);
  }

  @Test
  void dryRunDecidesAndChangesNothing() throws IOException {
    copyTrained();
    PromoteResult dry = promote(GOOD, Map.of("sluice.promote.mode", "dry-run"));
    assertThat(dry.verdict()).isEqualTo("WOULD_PROMOTE");
    assertThat(registry().alias("gen", Registry.CHAMPION)).isEmpty();
    assertThat(count("promotion_log")).isEqualTo(1);
  }

  @Test
  void scoringIsTracedAndIdempotent() throws IOException {
    copyPromoted();
    ScoreResult first = new ScoreJob(spark, ScoreSettings.from(settings(GOOD, ALL_ROWS))).run();
    assertThat(first.rows()).isEqualTo(TrainTestData.ROWS);
    String hash =
        "SELECT count(*), bit_xor(xxhash64(row_id, prediction, predicted_class, score, model_version, input_version))"
            + " FROM delta.`"
            + dir.resolve("lake/predictions")
            + "`";
    String before = spark.sql(hash).first().toString();
    ScoreResult second = new ScoreJob(spark, ScoreSettings.from(settings(GOOD, ALL_ROWS))).run();
    assertThat(second.alreadyScored()).isTrue();
    assertThat(spark.sql(hash).first().toString()).isEqualTo(before);
    assertThat(
            spark
                .sql(
                    "SELECT DISTINCT model_name, model_version, input_table, input_version, predicted_class IS NOT NULL"
                        + " FROM delta.`"
                        + dir.resolve("lake/predictions")
                        + "`")
                .collectAsList())
        .extracting(Object::toString)
        // The raw table's first batch created it, at version 0.
        .containsExactly("[gen,1,gen_raw,0,true]");
    // Statistics: Delta's on the columns a scoring's files differ in, Parquet's on the others.
    Path predictions = dir.resolve("lake/predictions");
    assertThat(FileStatistics.delta(predictions).rows()).isEqualTo(TrainTestData.ROWS);
    assertThat(FileStatistics.delta(predictions).columns())
        .containsExactlyInAnyOrderElementsOf(PredictionsTable.STATS_COLUMNS);
    Map<String, Boolean> parquet = FileStatistics.parquet(predictions);
    assertThat(parquet).containsEntry("score", true).containsEntry("predicted_class", true);
    for (String column : PredictionsTable.STATS_COLUMNS) {
      assertThat(parquet).as(column).containsEntry(column, false);
    }
  }

  @Test
  void theTestSplitScoredIsTheSnapshotsTestSplit() throws IOException {
    copyPromoted();
    ScoreResult scored =
        new ScoreJob(
                spark, ScoreSettings.from(settings(GOOD, Map.of("sluice.score.split", "test"))))
            .run();
    String lake = dir.resolve("lake").toString();
    List<String> testRows =
        spark
            .sql("SELECT row_id FROM delta.`" + lake + "/gen_snapshot` WHERE split = 'test'")
            .collectAsList()
            .stream()
            .map(row -> row.getString(0))
            .sorted()
            .toList();
    assertThat(testRows).isNotEmpty().hasSizeLessThan((int) TrainTestData.ROWS);
    assertThat(scored.rows()).isEqualTo(testRows.size());
    assertThat(
            spark
                .sql("SELECT row_id FROM delta.`" + lake + "/predictions`")
                .collectAsList()
                .stream()
                .map(row -> row.getString(0))
                .sorted()
                .toList())
        .isEqualTo(testRows);
    assertThat(scored.filter())
        .startsWith("split = 'test' (hash, seed 42, train 0.5, validation 0.2");
  }

  @Test
  void aMissingFeatureColumnFailsNamingTheModel() throws IOException {
    copyPromoted();
    String raw = dir.resolve("lake/gen_raw").toString();
    spark
        .read()
        .format("delta")
        .load(raw)
        .drop("x2")
        .write()
        .format("delta")
        .mode("overwrite")
        .option("overwriteSchema", true)
        .save(raw);
    assertThatThrownBy(
            () -> new ScoreJob(spark, ScoreSettings.from(settings(GOOD, ALL_ROWS))).run())
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Cannot score table sluice.gen_raw: column x2 is missing; it was present when model gen version 1 was trained.");
  }

  @Test
  void newFilesAreParsedLikeIngestAndBadRowsAreQuarantinedNotScored() throws IOException {
    copyPromoted();
    ScoreResult result =
        scoreFile("new.csv", "x1,x2,c,y\n0.5,1.0,a,yes\n-1.0,,b,no\nnot-a-number,1.0,a,yes\n");
    assertThat(result.rows()).isEqualTo(2);
    assertThat(result.inputTable()).startsWith("files:");
    assertThat(
            spark
                .read()
                .format("delta")
                .load(dir.resolve("lake/quarantine").toString())
                .where("source = 'score'")
                .select("line_number", "reasons")
                .collectAsList())
        .extracting(Object::toString)
        .containsExactly("[4,ArraySeq(TYPE_MISMATCH:x1)]");

    // Production rows carry no label: a file that leaves the label column out is scored too.
    assertThat(scoreFile("unlabelled.csv", "x1,x2,c\n0.5,1.0,a\n-1.0,2.0,b\n").rows()).isEqualTo(2);
  }

  @Test
  void withNoFilterScoreScoresEachPendingBatchOnceAndTrainingRowsNever() throws IOException {
    copyPromoted();
    ScoreResult none = pending();
    assertThat(none.alreadyScored()).isTrue();
    assertThat(none.filter()).isEqualTo("no pending batch");
    String first = ingestUnlabelled("day-1.csv", "x1,x2,c\n0.5,1.0,a\n-1.0,2.0,b\n");
    String second = ingestUnlabelled("day-2.csv", "x1,x2,c\n1.5,0.0,a\n");
    ScoreResult scored = pending();
    assertThat(scored.rows()).isEqualTo(3);
    assertThat(scored.filter()).contains(first, second);
    // Everything pending is scored: a re-run, and a run after a third batch, score only what is
    // new.
    assertThat(pending().rows()).isZero();
    String third = ingestUnlabelled("day-3.csv", "x1,x2,c\n0.1,0.2,b\n");
    ScoreResult next = pending();
    assertThat(next.rows()).isEqualTo(1);
    assertThat(next.filter()).isEqualTo("batch_id IN ('" + third + "')");
    assertThat(
            spark
                .read()
                .format("delta")
                .load(dir.resolve("lake/predictions").toString())
                .groupBy("batch_id")
                .count()
                .orderBy("batch_id")
                .collectAsList())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("[" + first + ",2]", "[" + second + ",1]", "[" + third + ",1]");
  }

  @Test
  void newRowsCountsRowsLabelledSinceTheChampionsSnapshotNotRowsToScore() throws IOException {
    copyPromoted();
    ingestUnlabelled("day-1.csv", "x1,x2,c\n0.5,1.0,a\n-1.0,2.0,b\n1.5,0.0,a\n");
    assertThat(newRows()).isZero();
    List<String> ids =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("lake/gen_raw").toString())
            .where("y IS NULL")
            .orderBy("row_id")
            .select("row_id")
            .collectAsList()
            .stream()
            .map(row -> row.getString(0))
            .toList();
    Path labels = dir.resolve("labels.csv");
    java.nio.file.Files.writeString(
        labels, "id,y\n" + ids.get(0) + ",yes\n" + ids.get(1) + ",no\n");
    new IngestJob(
            spark,
            IngestSettings.from(
                settings(
                    GOOD,
                    Map.of(
                        "sluice.ingest.kind",
                        "labels",
                        "sluice.ingest.files",
                        "[\"" + labels + "\"]"))))
        .run();
    assertThat(newRows()).isEqualTo(2);
  }

  /** The new_rows rule's value in a decision on the champion. */
  private long newRows() throws IOException {
    DecideJob.DecideResult decision =
        new DecideJob(
                spark,
                DecideSettings.from(
                    settings(GOOD, Map.of("sluice.decide.max-snapshot-age-days", "0"))))
            .run();
    return decision.rules().stream()
        .filter(rule -> rule.contains(" new_rows = "))
        .map(rule -> (long) Double.parseDouble(rule.replaceAll(".* new_rows = ([0-9.]+) .*", "$1")))
        .findFirst()
        .orElseThrow();
  }

  /** A score run with no filter: the pending batches. */
  private ScoreResult pending() throws IOException {
    return new ScoreJob(spark, ScoreSettings.from(settings(GOOD, Map.of()))).run();
  }

  /** Ingests a file of rows to score; its batch id. */
  private String ingestUnlabelled(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    java.nio.file.Files.writeString(file, content);
    return new IngestJob(
            spark,
            IngestSettings.from(
                settings(
                    GOOD,
                    Map.of(
                        "sluice.ingest.kind",
                        "unlabelled",
                        "sluice.ingest.files",
                        "[\"" + file + "\"]"))))
        .run()
        .batchId();
  }

  /** Scores a new file of {@code content} with the champion, as {@code score --files}. */
  private ScoreResult scoreFile(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    java.nio.file.Files.writeString(file, content);
    return new ScoreJob(
            spark,
            ScoreSettings.from(settings(GOOD, Map.of("sluice.score.files", "[\"" + file + "\"]"))))
        .run();
  }
}
