package dev.sluice.common.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.Tables;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.table.AliasLogTable;
import dev.sluice.common.table.JobRunsTable;
import dev.sluice.common.table.ModelRegistryTable;
import dev.sluice.common.table.PromotionLogTable;
import dev.sluice.common.table.ReproducibilityChecksTable;
import dev.sluice.common.table.RetrainDecisionsTable;
import dev.sluice.common.testing.SparkTestBase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakehouseCatalogTest extends SparkTestBase {
  @TempDir Path dir;

  /**
   * The lakehouse as a session that queries it by name sees it (the SQL shell, a notebook): its
   * tables registered when it starts, and every table it writes after.
   */
  private Lakehouse lakehouse(String root, String database) {
    Lakehouse lakehouse = jobLakehouse(root, database);
    lakehouse.registerAll();
    return lakehouse;
  }

  /** The lakehouse as a job sees it: it writes tables and never queries them by name. */
  private Lakehouse jobLakehouse(String root, String database) {
    return new Lakehouse(spark, new LakehouseSettings(dir.resolve(root).toString(), database));
  }

  private List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void aCreatedTableIsRegisteredWithItsTableAndColumnComments() {
    Lakehouse lakehouse = lakehouse("lake", "cat_comments");
    lakehouse.create(JobRunsTable.SPEC);

    List<String> described = rows("DESCRIBE TABLE EXTENDED cat_comments.job_runs");
    assertThat(described)
        .contains("[status,string,SUCCEEDED, SKIPPED (nothing to do) or FAILED.]")
        .contains("[Comment," + JobRunsTable.COMMENT + ",]")
        .contains("[Location," + lakehouse.path(Tables.JOB_RUNS) + ",]");
    assertThat(rows("SHOW TBLPROPERTIES cat_comments.job_runs"))
        .contains("[delta.checkpointInterval,100]", "[delta.dataSkippingNumIndexedCols,0]");
  }

  @Test
  void aLogTakesAppendsAndRefusesDeletesAndUpdates() {
    for (TableSpec log :
        List.of(
            ModelRegistryTable.SPEC,
            AliasLogTable.SPEC,
            PromotionLogTable.SPEC,
            RetrainDecisionsTable.SPEC,
            ReproducibilityChecksTable.SPEC,
            JobRunsTable.SPEC)) {
      assertThat(log.properties()).as(log.name()).containsEntry("delta.appendOnly", "true");
    }
    Lakehouse lakehouse = lakehouse("lake", "cat_logs");
    lakehouse.create(AliasLogTable.SPEC);
    Row entry =
        new AliasLogTable.Entry(
                "m",
                "champion",
                OptionalLong.of(1),
                OptionalLong.empty(),
                Instant.parse("2026-01-02T03:04:05Z"),
                "first promotion",
                "run-1")
            .toRow();
    assertThat(lakehouse.appendOnce(AliasLogTable.SPEC, List.of(entry), "test/alias", 1))
        .isPresent();

    for (String change :
        List.of(
            "DELETE FROM cat_logs.alias_log",
            "UPDATE cat_logs.alias_log SET reason = 'rewritten'",
            "INSERT OVERWRITE cat_logs.alias_log SELECT * FROM cat_logs.alias_log")) {
      assertThatThrownBy(() -> spark.sql(change))
          .as(change)
          .hasMessageContaining("only allow appends");
    }
    assertThat(rows("SELECT version, reason FROM cat_logs.alias_log"))
        .containsExactly("[1,first promotion]");
  }

  @Test
  void aJobWithAnInMemoryCatalogRegistersNothingAndAQueryingSessionFindsItsTables() {
    Lakehouse job = jobLakehouse("lake", "cat_job");
    job.create(JobRunsTable.SPEC);
    job.append(spark.range(4).toDF("id"), "events");
    assertThat(spark.catalog().databaseExists("cat_job")).isFalse();

    assertThat(lakehouse("lake", "cat_job").tables()).containsExactly("events", "job_runs");
    assertThat(rows("SELECT count(*) FROM cat_job.events")).containsExactly("[4]");
    assertThat(rows("SHOW TABLES IN cat_job"))
        .containsExactly("[cat_job,events,false]", "[cat_job,job_runs,false]");
  }

  @Test
  void registerAllFindsAnyDeltaTableUnderTheRootAndNothingElse() throws java.io.IOException {
    Lakehouse lakehouse = lakehouse("lake", "cat_all");
    // A table some other job wrote by path, with a name no list in Sluice knows.
    spark.range(3).write().format("delta").save(lakehouse.path("benchmarks_x"));
    java.nio.file.Files.createDirectories(dir.resolve("lake").resolve("_models"));
    spark.range(2).write().parquet(lakehouse.path("not_delta"));
    // A table being created: its log folder exists, its first commit has not landed yet.
    java.nio.file.Files.createDirectories(dir.resolve("lake").resolve("being_created/_delta_log"));

    assertThat(lakehouse.registerAll()).containsExactly("benchmarks_x");
    assertThat(rows("SELECT count(*) FROM cat_all.benchmarks_x")).containsExactly("[3]");
    assertThat(rows("SHOW TABLES IN cat_all")).containsExactly("[cat_all,benchmarks_x,false]");
  }

  @Test
  void aDatabaseLastUsedWithAnotherRootIsRepointedWithoutTouchingData() {
    Lakehouse first = lakehouse("first", "cat_moved");
    Lakehouse second = lakehouse("second", "cat_moved");
    first.append(spark.range(5).toDF("id"), "events");
    assertThat(rows("SELECT count(*) FROM cat_moved.events")).containsExactly("[5]");
    second.append(spark.range(7).toDF("id"), "events");
    assertThat(rows("SELECT count(*) FROM cat_moved.events")).containsExactly("[7]");

    first.registerAll();
    assertThat(rows("SELECT count(*) FROM cat_moved.events")).containsExactly("[5]");
    assertThat(second.read("events").count()).isEqualTo(7);
  }

  @Test
  void aWritersTransactionIsFoundWithAndWithoutTheChecksumFiles() throws java.io.IOException {
    Lakehouse lakehouse = lakehouse("lake", "cat_txn");
    assertThat(lakehouse.log().transactionVersion("events", "writer-a")).isEmpty();
    assertThat(lakehouse.appendOnce(spark.range(3).toDF("id"), "events", "writer-a", 1, false))
        .contains(0L);
    assertThat(lakehouse.appendOnce(spark.range(3).toDF("id"), "events", "writer-a", 1, false))
        .isEmpty();
    lakehouse.append(spark.range(1).toDF("id"), "events");
    assertThat(lakehouse.log().transactionVersion("events", "writer-a")).hasValue(1L);
    assertThat(lakehouse.log().transactionVersion("events", "writer-b")).isEmpty();
    // Marks are recorded in the rows' own commit, given the rows written.
    assertThat(
            lakehouse.appendOnce(
                spark.range(5).toDF("id").repartition(2),
                "events",
                "writer-c",
                1,
                false,
                rows -> Map.of("mark-c", rows)))
        .contains(2L);
    assertThat(lakehouse.log().transactions("events"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("writer-a", 1L, "writer-c", 1L, "mark-c", 5L));

    // A table whose writers kept no checksum files: the log is replayed instead.
    try (var files = java.nio.file.Files.list(dir.resolve("lake/events/_delta_log"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".crc")).toList()) {
        java.nio.file.Files.delete(file);
      }
    }
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    assertThat(lakehouse.log().transactionVersion("events", "writer-a")).hasValue(1L);
    assertThat(lakehouse.log().transactionVersion("events", "writer-b")).isEmpty();
    assertThat(lakehouse.read("events").count()).isEqualTo(9);
    // Still one commit with its marks, the writer's version from the replay; a re-run adds none.
    java.util.function.Supplier<java.util.Optional<Long>> writeD =
        () ->
            lakehouse.appendOnce(
                spark.range(2).toDF("id"),
                "events",
                "writer-d",
                1,
                false,
                rows -> Map.of("mark-d", rows));
    assertThat(writeD.get()).contains(3L);
    assertThat(writeD.get()).isEmpty();
    assertThat(lakehouse.log().transactions("events")).containsEntry("mark-d", 2L).hasSize(5);
    assertThat(lakehouse.read("events").count()).isEqualTo(11);
  }

  @Test
  void moreThanAHundredWritersStayListedInTheChecksum() {
    Lakehouse lakehouse = lakehouse("lake", "cat_many");
    Map<String, Long> marks = new java.util.HashMap<>();
    for (long i = 0; i < 150; i++) {
      marks.put("mark-" + i, i);
    }
    lakehouse.appendOnce(spark.range(1).toDF("id"), "events", "writer", 1, false);
    assertThat(
            lakehouse.appendOnce(
                spark.range(1).toDF("id"), "events", "writer-many", 1, false, rows -> marks))
        .contains(1L);
    var checksum =
        org.apache.spark.sql.delta.DeltaLog.forTable(spark, dir.resolve("lake/events").toString())
            .update(false, scala.Option.empty(), scala.Option.empty())
            .checksumOpt();
    assertThat(checksum.isDefined()).isTrue();
    assertThat(checksum.get().setTransactions().isDefined()).isTrue();
    assertThat(checksum.get().setTransactions().get().size()).isEqualTo(152);
    assertThat(lakehouse.log().transactions("events")).hasSize(152).containsEntry("mark-149", 149L);
  }

  @Test
  void anIdempotentAppendIsOneDeltaCommitWithoutALogReplayAndDeltasChecksStillHold()
      throws java.util.concurrent.TimeoutException {
    Lakehouse lakehouse = lakehouse("lake", "cat_once");
    StructType schema =
        new StructType()
            .add("id", DataTypes.LongType, false)
            .add("name", DataTypes.StringType, true);
    lakehouse.create(new TableSpec("people", "People.", schema, List.of()));
    // Columns in another order, all nullable: the rows land by name.
    Dataset<Row> rows = spark.sql("SELECT 'b' AS name, CAST(id AS BIGINT) AS id FROM range(2)");

    long jobsBefore = jobsStarted();
    assertThat(lakehouse.appendOnce(rows, "people", "writer-a", 1, false)).contains(1L);
    assertThat(jobsStarted() - jobsBefore).as("the write's job only, no log replay").isEqualTo(1);
    assertThat(rows("SELECT * FROM cat_once.people ORDER BY id")).containsExactly("[0,b]", "[1,b]");
    assertThat(lakehouse.log().writtenRows("people", 1)).hasValue(2L);
    assertThat(commitOf(lakehouse, "people", 1)).isEqualTo("[WRITE,Append,true]");
    assertThat(lakehouse.log().transactionVersion("people", "writer-a")).hasValue(1L);

    // The same transaction again adds nothing; a later one of the same writer does.
    assertThat(lakehouse.appendOnce(rows, "people", "writer-a", 1, false)).isEmpty();
    assertThat(lakehouse.appendOnce(rows, "people", "writer-a", 2, false)).contains(2L);
    assertThat(lakehouse.read("people").count()).isEqualTo(4);

    // Delta's invariants still hold: a null in the NOT NULL column fails the write.
    Dataset<Row> nullId = spark.sql("SELECT CAST(NULL AS BIGINT) AS id, 'c' AS name");
    assertThatThrownBy(() -> lakehouse.appendOnce(nullId, "people", "writer-b", 1, false))
        .hasStackTraceContaining("NOT NULL constraint violated for column: id");
    // Rows of another shape take Delta's own append, which checks the schema.
    Dataset<Row> extra = spark.sql("SELECT CAST(9 AS BIGINT) AS id, 'd' AS name, 1 AS more");
    assertThatThrownBy(() -> lakehouse.appendOnce(extra, "people", "writer-c", 1, false))
        .hasStackTraceContaining("schema mismatch");
    assertThat(lakehouse.version("people")).hasValue(2L);
    assertThat(lakehouse.read("people").count()).isEqualTo(4);
  }

  /** Operation, mode and blind-append flag of a commit, as Delta's history shows them. */
  private String commitOf(Lakehouse lakehouse, String table, long version) {
    return io.delta.tables.DeltaTable.forPath(spark, lakehouse.path(table))
        .history()
        .where("version = " + version)
        .selectExpr("operation", "operationParameters.mode", "isBlindAppend")
        .first()
        .toString();
  }

  private static final StructType PEOPLE =
      new StructType()
          .add("id", DataTypes.LongType, false, "Who.")
          .add("name", DataTypes.StringType, true, "What they are called.");

  private static TableSpec people(String name) {
    return new TableSpec(name, "People.", PEOPLE, List.of(), Map.of("delta.appendOnly", "true"));
  }

  private Dataset<Row> people(long from, long to) {
    return spark.sql(
        "SELECT CAST(id AS BIGINT) AS id, concat('p', id) AS name FROM range("
            + from
            + ", "
            + to
            + ")");
  }

  @Test
  void aStagedAppendToAMissingTableCreatesItInItsCommitOrLeavesNothingWhenClosed()
      throws java.io.IOException {
    Lakehouse lakehouse = lakehouse("lake", "cat_staged");
    Path table = dir.resolve("lake").resolve("people");

    // Closed without a commit: the written files and the new table's folder are gone.
    try (PendingAppend pending =
        lakehouse.stageAppend(people("people"), people(0, 3), "writer-a", 1, false)) {
      try (var files = java.nio.file.Files.list(table)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("the rows are written before the commit")
            .anyMatch(f -> f.endsWith(".parquet"));
      }
      assertThat(lakehouse.exists("people")).isFalse();
    }
    assertThat(java.nio.file.Files.exists(table)).isFalse();
    // No rows: Spark still writes a file (without rows, which Delta does not list); it goes too.
    try (PendingAppend pending =
        lakehouse.stageAppend(people("people"), people(0, 0), "writer-a", 1, false)) {
      assertThat(dataFiles(table)).isEqualTo(1);
    }
    assertThat(java.nio.file.Files.exists(table)).isFalse();

    // Committed: one commit creates the table with its comments and properties, and the rows.
    try (PendingAppend pending =
        lakehouse.stageAppend(people("people"), people(0, 3), "writer-a", 1, false)) {
      assertThat(pending.commit()).contains(0L);
    }
    assertThat(rows("SELECT * FROM cat_staged.people ORDER BY id"))
        .containsExactly("[0,p0]", "[1,p1]", "[2,p2]");
    assertThat(rows("DESCRIBE TABLE EXTENDED cat_staged.people"))
        .contains("[id,bigint,Who.]", "[name,string,What they are called.]", "[Comment,People.,]");
    assertThat(rows("SHOW TBLPROPERTIES cat_staged.people")).contains("[delta.appendOnly,true]");
    assertThat(lakehouse.read("people").schema().apply("id").nullable()).isFalse();
    assertThat(lakehouse.log().transactionVersion("people", "writer-a")).hasValue(1L);

    // Staged again by the same writer: computed, nothing written, nothing committed.
    try (PendingAppend pending =
        lakehouse.stageAppend(people("people"), people(0, 3), "writer-a", 1, false)) {
      assertThat(pending.commit()).isEmpty();
    }
    // A later transaction is staged on the existing table; closing it deletes its files only.
    int filesBefore = dataFiles(table);
    try (PendingAppend pending =
        lakehouse.stageAppend(people("people"), people(3, 5), "writer-a", 2, false)) {
      assertThat(dataFiles(table)).isGreaterThan(filesBefore);
    }
    assertThat(dataFiles(table)).isEqualTo(filesBefore);
    assertThat(lakehouse.version("people")).hasValue(0L);
    assertThat(lakehouse.read("people").count()).isEqualTo(3);
  }

  @Test
  void rowsBuiltOnTheDriverAreAppendedWithoutASparkJobAndDeltasChecksStillHold()
      throws java.util.concurrent.TimeoutException {
    Lakehouse lakehouse = lakehouse("lake", "cat_driver");
    TableSpec spec = people("people");
    List<Row> two = List.of(RowFactory.create(0L, "p0"), RowFactory.create(1L, null));

    // A new table is created with its comments (version 0), then Delta Kernel appends the rows on
    // the driver: a plain append runs no Spark job.
    assertThat(lakehouse.appendOnce(spec, two, "writer-a", 1)).contains(1L);
    long jobsBefore = jobsStarted();
    assertThat(lakehouse.append(spec, List.of(RowFactory.create(2L, "p2")))).isEqualTo(2L);
    assertThat(jobsStarted() - jobsBefore).as("no Spark job").isZero();
    // Read back on the driver too: every row, with the table's columns, and no Spark job.
    jobsBefore = jobsStarted();
    List<Row> read = lakehouse.rows("people");
    assertThat(jobsStarted() - jobsBefore).as("no Spark job").isZero();
    assertThat(read)
        .extracting(Row::toString)
        .containsExactlyInAnyOrder("[0,p0]", "[1,null]", "[2,p2]");
    assertThat(read.get(0).schema().fieldNames()).containsExactly("id", "name");

    assertThat(rows("SELECT * FROM cat_driver.people ORDER BY id"))
        .containsExactly("[0,p0]", "[1,null]", "[2,p2]");
    assertThat(rows("DESCRIBE TABLE EXTENDED cat_driver.people"))
        .contains("[id,bigint,Who.]", "[name,string,What they are called.]", "[Comment,People.,]");
    assertThat(rows("SHOW TBLPROPERTIES cat_driver.people")).contains("[delta.appendOnly,true]");
    assertThat(lakehouse.read("people").schema().apply("id").nullable()).isFalse();
    assertThat(lakehouse.log().transactionVersion("people", "writer-a")).hasValue(1L);
    // Each file carries its row count in its statistics, as Spark's writes do.
    assertThat(
            spark
                .read()
                .json(commitFiles(lakehouse.path("people")))
                .where("add IS NOT NULL")
                .selectExpr("CAST(get_json_object(add.stats, '$.numRecords') AS INT) AS records")
                .orderBy("records")
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly("[1]", "[2]");
    assertThat(commitOf(lakehouse, "people", 1)).startsWith("[WRITE,");

    // The same writer's transaction again adds nothing.
    assertThat(lakehouse.appendOnce(spec, two, "writer-a", 1)).isEmpty();
    // A null where the table allows none is refused before anything is written.
    List<Row> nullId = new java.util.ArrayList<>();
    nullId.add(RowFactory.create(null, "x"));
    assertThatThrownBy(() -> lakehouse.appendOnce(spec, nullId, "writer-b", 1))
        .hasStackTraceContaining("NOT NULL constraint violated for column: id");
    // A CHECK constraint is Delta's to enforce: its append takes the rows.
    spark.sql("ALTER TABLE cat_driver.people ADD CONSTRAINT small CHECK (id < 10)");
    assertThatThrownBy(() -> lakehouse.append(spec, List.of(RowFactory.create(11L, "big"))))
        .hasStackTraceContaining("CHECK constraint small");
    assertThat(lakehouse.append(spec, List.of(RowFactory.create(3L, "p3")))).isEqualTo(4L);
    assertThat(lakehouse.read("people").count()).isEqualTo(4);
    // A table with a constraint is read by Spark, with the same rows.
    assertThat(lakehouse.rows("people"))
        .extracting(Row::toString)
        .containsExactlyInAnyOrder("[0,p0]", "[1,null]", "[2,p2]", "[3,p3]");
  }

  /** The table's commit files, by name. */
  private static String[] commitFiles(String table) {
    try (var files =
        java.nio.file.Files.list(Path.of(java.net.URI.create(table + "/_delta_log")))) {
      return files
          .map(Path::toString)
          .filter(name -> name.matches(".*/\\d{20}\\.json"))
          .toArray(String[]::new);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int dataFiles(Path table) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(table)) {
      return (int) files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void twoWritersStagingTheSameNewTableBothLandAndTheSecondCommitsToTheTableTheFirstCreated() {
    Lakehouse lakehouse = lakehouse("lake", "cat_race_create");
    PendingAppend first =
        lakehouse.stageAppend(people("people"), people(0, 2), "writer-a", 1, false);
    PendingAppend second =
        lakehouse.stageAppend(people("people"), people(2, 5), "writer-b", 1, false);

    assertThat(first.commit()).contains(0L);
    assertThat(second.commit()).contains(1L);
    assertThat(rows("SELECT count(*), count(DISTINCT id) FROM cat_race_create.people"))
        .containsExactly("[5,5]");
    assertThat(lakehouse.log().transactionVersion("people", "writer-b")).hasValue(1L);

    // The same writer's transaction staged twice on the new table lands once.
    PendingAppend again =
        lakehouse.stageAppend(people("twins"), people(0, 2), "writer-c", 1, false);
    PendingAppend twin = lakehouse.stageAppend(people("twins"), people(0, 2), "writer-c", 1, false);
    assertThat(again.commit()).contains(0L);
    assertThat(twin.commit()).isEmpty();
    assertThat(lakehouse.read("twins").count()).isEqualTo(2);
  }

  private static final java.util.concurrent.CountDownLatch WRITING =
      new java.util.concurrent.CountDownLatch(1);
  private static final java.util.concurrent.CountDownLatch RIVAL_COMMITTED =
      new java.util.concurrent.CountDownLatch(1);

  @Test
  void aWriterRacingItselfCommitsOnceAndTheLoserFailsWithDeltasConcurrentTransactionError()
      throws Exception {
    Lakehouse lakehouse = lakehouse("lake", "cat_race");
    lakehouse.append(spark.range(1).toDF("id"), "events");
    // One partition whose rows wait until the rival has committed: the slow attempt started from
    // a snapshot in which the writer had not committed yet.
    spark
        .udf()
        .register(
            "wait_for_rival",
            (org.apache.spark.sql.api.java.UDF1<Long, Long>)
                id -> {
                  WRITING.countDown();
                  if (!RIVAL_COMMITTED.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the rival never committed");
                  }
                  return id;
                },
            DataTypes.LongType);
    Dataset<Row> slow = spark.range(0, 3, 1, 1).selectExpr("wait_for_rival(id) AS id");
    var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      var attempt = pool.submit(() -> lakehouse.appendOnce(slow, "events", "writer-a", 1, false));
      assertThat(WRITING.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(lakehouse.appendOnce(spark.range(5).toDF("id"), "events", "writer-a", 1, false))
          .contains(1L);
      RIVAL_COMMITTED.countDown();
      assertThatThrownBy(attempt::get)
          .hasRootCauseInstanceOf(io.delta.exceptions.ConcurrentTransactionException.class);
    } finally {
      RIVAL_COMMITTED.countDown();
      pool.shutdownNow();
    }
    assertThat(lakehouse.version("events")).hasValue(1L);
    assertThat(lakehouse.read("events").count()).isEqualTo(6);
  }

  /** Spark jobs started so far in this session, once the listener bus has caught up. */
  private long jobsStarted() throws java.util.concurrent.TimeoutException {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    return spark.sparkContext().statusStore().jobsList(null).size();
  }

  @Test
  void aSmallTableIsReadFromItsChecksumFileListAtEveryVersionAndByDeltasScanWithoutIt()
      throws java.io.IOException, java.util.concurrent.TimeoutException {
    // No table yet: no rows, and nothing created.
    assertThat(lakehouse("lake", "cat_rows_none").rows("missing")).isEmpty();
    assertThat(dir.resolve("lake/missing")).doesNotExist();
    Lakehouse lakehouse = lakehouse("lake", "cat_read");
    lakehouse.append(spark.range(5).toDF("id"), "events");
    lakehouse.append(spark.range(10, 12).toDF("id"), "events");
    assertThat(scan(lakehouse.read("events"))).isEqualTo("TahoeBatchFileIndex");
    assertThat(ids(lakehouse.read("events"))).containsExactly(0L, 1L, 2L, 3L, 4L, 10L, 11L);
    assertThat(ids(lakehouse.readVersion("events", 0))).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(ids(lakehouse.read("events").where("id > 3"))).containsExactly(4L, 10L, 11L);

    // An overwrite that keeps the schema leaves the list in the checksum, even when the rows it
    // writes are declared non-null: the table was created nullable, as Delta's overwrite makes it.
    Dataset<Row> nonNull = spark.range(7, 9).toDF("id");
    assertThat(nonNull.schema().fields()[0].nullable()).isFalse();
    assertThat(lakehouse.overwrite(nonNull, "snapshots", "first", "Snapshots.")).isEqualTo(1L);
    long jobsBefore = jobsStarted();
    assertThat(lakehouse.overwrite(nonNull, "snapshots", "second", "Snapshots.")).isEqualTo(2L);
    // The files it replaces come from the checksum: the write's job only, no log replay.
    assertThat(jobsStarted() - jobsBefore).isEqualTo(1);
    assertThat(ids(lakehouse.readVersion("snapshots", 1))).containsExactly(7L, 8L);
    // Rows of another shape take Delta's overwrite, which replaces the schema.
    assertThat(lakehouse.overwrite(spark.sql("SELECT 'x' AS name"), "other", "t", "Other."))
        .isEqualTo(1L);
    assertThat(lakehouse.overwrite(spark.range(3).toDF("id"), "other", "t2", "Other."))
        .isEqualTo(2L);
    assertThat(ids(lakehouse.read("other"))).containsExactly(0L, 1L, 2L);
    assertThat(scan(lakehouse.readVersion("snapshots", 1))).isEqualTo("TahoeBatchFileIndex");
    assertThat(ids(lakehouse.readVersion("snapshots", 2))).containsExactly(7L, 8L);
    assertThat(lakehouse.log().tagAt("snapshots", 1)).contains("first");
    assertThat(lakehouse.log().latestTag("snapshots")).contains("second");
    assertThat(lakehouse.log().latestTag("missing")).isEmpty();

    // Without checksum files, Delta's own scan lists the files: same rows.
    try (var files = java.nio.file.Files.list(dir.resolve("lake/events/_delta_log"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".crc")).toList()) {
        java.nio.file.Files.delete(file);
      }
    }
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    assertThat(scan(lakehouse.read("events"))).isEqualTo("TahoeLogFileIndex");
    assertThat(ids(lakehouse.read("events"))).containsExactly(0L, 1L, 2L, 3L, 4L, 10L, 11L);
    assertThat(ids(lakehouse.readVersion("events", 0))).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  /** The class of the file index the read's plan scans. */
  private static String scan(Dataset<Row> rows) {
    return rows.queryExecution().analyzed().collectLeaves().head() instanceof LogicalRelation r
            && r.relation() instanceof HadoopFsRelation fs
        ? fs.location().getClass().getSimpleName()
        : rows.queryExecution().analyzed().getClass().getSimpleName();
  }

  private static List<Long> ids(Dataset<Row> rows) {
    return rows.orderBy("id").collectAsList().stream().map(row -> row.getLong(0)).toList();
  }

  @Test
  void theRowsAppendedSinceAVersionAreTheCountsDifferenceFromTheCommitsAloneUntilOneIsNoAppend()
      throws java.util.concurrent.TimeoutException {
    Lakehouse lakehouse = lakehouse("lake", "cat_appended");
    TableSpec spec = new TableSpec("raw", "Raw.", PEOPLE, List.of());
    // Each way a batch lands: staged (creating the table, then on it), Delta's own transaction,
    // Delta's public append.
    try (PendingAppend pending = lakehouse.stageAppend(spec, people(0, 3), "batch-0", 1, false)) {
      assertThat(pending.commit()).contains(0L);
    }
    try (PendingAppend pending = lakehouse.stageAppend(spec, people(3, 5), "batch-1", 1, false)) {
      assertThat(pending.commit()).contains(1L);
    }
    assertThat(lakehouse.appendOnce(people(5, 9), "raw", "batch-2", 1, false)).contains(2L);
    people(9, 10).write().format("delta").mode("append").save(lakehouse.path("raw"));

    long jobsBefore = jobsStarted();
    List<java.util.OptionalLong> appended = new java.util.ArrayList<>();
    for (long version = 0; version <= 3; version++) {
      appended.add(lakehouse.log().appendedRows("raw", version));
    }
    assertThat(jobsStarted() - jobsBefore).as("no Spark job").isZero();
    assertThat(appended)
        .containsExactly(
            java.util.OptionalLong.of(7),
            java.util.OptionalLong.of(5),
            java.util.OptionalLong.of(1),
            java.util.OptionalLong.of(0));
    for (int version = 0; version <= 3; version++) {
      assertThat(appended.get(version).getAsLong())
          .isEqualTo(lakehouse.read("raw").count() - lakehouse.readVersion("raw", version).count());
    }
    // No such version, no such table: the caller counts (and Delta names the versions there are).
    assertThat(lakehouse.log().appendedRows("raw", 4)).isEmpty();
    assertThat(lakehouse.log().appendedRows("raw", -1)).isEmpty();
    assertThat(lakehouse.log().appendedRows("missing", 0)).isEmpty();

    // A delete is no append: from before it, the commits cannot tell; after it, nothing was added.
    spark.sql("DELETE FROM delta.`" + lakehouse.path("raw") + "` WHERE id = 0");
    assertThat(lakehouse.log().appendedRows("raw", 3)).isEmpty();
    assertThat(lakehouse.log().appendedRows("raw", 4)).hasValue(0L);
    // Delta Kernel's append records no row count: the caller counts.
    assertThat(lakehouse.append(spec, List.of(RowFactory.create(10L, "p10")))).isEqualTo(5L);
    assertThat(lakehouse.log().appendedRows("raw", 4)).isEmpty();
  }

  @Test
  void timeTravelAndHistoryWorkByName() {
    Lakehouse lakehouse = lakehouse("lake", "cat_travel");
    lakehouse.append(spark.range(5).toDF("id"), "events");
    lakehouse.append(spark.range(2).toDF("id"), "events");
    assertThat(rows("SELECT count(*) FROM cat_travel.events VERSION AS OF 0"))
        .containsExactly("[5]");
    assertThat(rows("SELECT count(*) FROM cat_travel.events")).containsExactly("[7]");
    assertThat(
            spark
                .sql("DESCRIBE HISTORY cat_travel.events")
                .select("version", "operation")
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly("[1,WRITE]", "[0,WRITE]");
  }

  @Test
  void aCommitsTimeIsTheOneDeltasHistoryShows() {
    Lakehouse lakehouse = jobLakehouse("lake", "cat_time");
    lakehouse.append(spark.range(5).toDF("id"), "events");
    lakehouse.append(spark.range(2).toDF("id"), "events");
    for (Row commit :
        io.delta.tables.DeltaTable.forPath(spark, lakehouse.path("events"))
            .history()
            .select("version", "timestamp")
            .collectAsList()) {
      assertThat(lakehouse.log().commitTime("events", commit.getLong(0)))
          .isEqualTo(commit.getTimestamp(1).toInstant());
    }
  }

  @Test
  void theDatabaseOfAnEmptyLakehouseLivesAtTheRootSoATableCreatedInItIsFoundAgain() {
    Lakehouse lakehouse = lakehouse("empty", "cat_empty");
    assertThat(lakehouse.registerAll()).isEmpty();
    spark.sql("CREATE TABLE cat_empty.made_by_hand USING delta AS SELECT 1 AS id");
    assertThat(lakehouse.tables()).containsExactly("made_by_hand");
  }
}
