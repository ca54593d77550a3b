package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.jobs.sql.ShellRun;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trino over a lakehouse the whole chain wrote (scripts/run-pipeline.sh on the tiny data set, two
 * bad lines quarantined): scripts/trino.sh starts Trino and registers every table; over JDBC, as a
 * BI tool connects, Trino's row counts and table and column comments equal Spark's for every table,
 * time travel reads the same version, every file of conf/queries (or its Trino twin) gives the rows
 * the SQL shell gives, and nothing can be written. A new commit is read without a sync; a sync
 * registers a new table, forgets a removed one and is otherwise a no-op.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrinoIT extends SparkTestBase {
  private static final int ROWS = 400;
  private static final Path QUERIES = Scripts.HOME.resolve("conf/queries");
  private static final List<String> BAD_LINES =
      List.of("oops, wc1, 5, Male, >50K", "30, wc2, 7, Other, <=50K");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static Path lake;
  private static Path conf;
  private static Map<String, String> env;
  private static Connection trino;

  @BeforeAll
  static void startTrinoOnAPipelineRun() throws Exception {
    conf = TinyDataset.write(dir.resolve("data"), ROWS);
    Files.write(dir.resolve("data/tiny.csv"), BAD_LINES, java.nio.file.StandardOpenOption.APPEND);
    lake = dir.resolve("lake");
    List<String> args = new ArrayList<>(List.of("--dataset", conf.toString()));
    args.addAll(settings());
    Scripts.Result pipeline =
        Scripts.run(dir.resolve("logs"), "pipeline", Map.of(), "run-pipeline.sh", args);
    assertThat(pipeline.exitCode()).as(pipeline.stderr()).isZero();

    int port = freePort();
    env = Map.of("SLUICE_LAKEHOUSE", lake.toString(), "SLUICE_TRINO_PORT", Integer.toString(port));
    long started = System.nanoTime();
    Scripts.Result start = trinoSh("start");
    System.out.printf(
        "[TrinoIT] scripts/trino.sh start (with its sync): %.1f s%n",
        (System.nanoTime() - started) / 1e9);
    assertThat(start.exitCode()).as(start.stderr()).isZero();
    assertThat(start.stderr())
        .contains("jdbc:trino://127.0.0.1:" + port + "/delta/sluice")
        .containsPattern("trino: \\d+ tables in sluice, \\d+ registered, 0 unregistered");
    trino =
        DriverManager.getConnection(
            "jdbc:trino://127.0.0.1:" + port + "/delta/sluice", "analyst", null);
  }

  @AfterAll
  static void stopTrino() throws Exception {
    if (trino != null) {
      trino.close();
    }
    if (env != null) {
      Scripts.Result stop = trinoSh("stop");
      assertThat(stop.exitCode()).as(stop.stderr()).isZero();
      assertThat(trinoSh("status").exitCode()).isEqualTo(3);
    }
  }

  private static List<String> settings() {
    return TinyDataset.quickChain(lake.toString());
  }

  private static Scripts.Result trinoSh(String... args) throws Exception {
    return Scripts.run(dir.resolve("logs"), "trino-" + args[0], env, "trino.sh", List.of(args));
  }

  @Test
  @Order(1)
  void everyTableHasSparksRowsCommentsAndVersions() throws Exception {
    List<String> tables = tables();
    assertThat(tables)
        .contains("tiny_raw", "tiny_snapshot", "model_registry", "predictions", "quarantine");
    Map<String, String> spark = new TreeMap<>();
    Map<String, String> viaTrino = new TreeMap<>();
    DatabaseMetaData metadata = trino.getMetaData();
    for (String table : tables) {
      String path = lake.resolve(table).toString();
      var frame = SparkTestBase.spark.read().format("delta").load(path);
      Row detail = SparkTestBase.spark.sql("DESCRIBE DETAIL delta.`" + path + "`").first();
      spark.put(table + " rows", Long.toString(frame.count()));
      spark.put(table + " comment", String.valueOf(detail.<String>getAs("description")));
      for (StructField field : frame.schema().fields()) {
        spark.put(table + "." + field.name(), field.getComment().getOrElse(() -> "null"));
      }

      viaTrino.put(table + " rows", single("SELECT count(*) FROM " + table));
      // Trino's JDBC driver leaves a table's remarks empty; its metadata table has the comment.
      viaTrino.put(
          table + " comment",
          single(
              "SELECT comment FROM system.metadata.table_comments WHERE catalog_name = 'delta'"
                  + " AND schema_name = 'sluice' AND table_name = '"
                  + table
                  + "'"));
      try (ResultSet columns = metadata.getColumns("delta", "sluice", table, "%")) {
        while (columns.next()) {
          String remarks = columns.getString("REMARKS");
          viaTrino.put(
              table + "." + columns.getString("COLUMN_NAME"), remarks == null ? "null" : remarks);
        }
      }
    }
    assertThat(viaTrino).isEqualTo(spark);
    assertThat(spark.get("tiny_raw rows")).isEqualTo(Integer.toString(ROWS));
    assertThat(spark.get("quarantine rows")).isEqualTo(Integer.toString(BAD_LINES.size()));

    // Time travel: the registry's first version in both dialects.
    long sparkV0 =
        SparkTestBase.spark
            .read()
            .format("delta")
            .option("versionAsOf", 0)
            .load(lake.resolve("model_registry").toString())
            .count();
    assertThat(single("SELECT count(*) FROM model_registry FOR VERSION AS OF 0"))
        .isEqualTo(Long.toString(sparkV0));
    assertThat(single("SELECT count(*) FROM model_registry")).isEqualTo("1");
  }

  @Test
  @Order(2)
  void everyShippedQueryGivesTheShellsRows() throws Exception {
    String rowId =
        SparkTestBase.spark
            .read()
            .format("delta")
            .load(lake.resolve("predictions").toString())
            .orderBy("row_id")
            .first()
            .getAs("row_id");
    String at =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    Map<String, String> variables =
        Map.of("model", "tiny", "feature", "age", "at", at, "row_id", rowId);
    List<String> files;
    try (Stream<Path> listed = Files.list(QUERIES)) {
      files =
          listed
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".sql"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    Map<String, Integer> rowsPerFile = new TreeMap<>();
    for (String file : files) {
      String sparkSql = substitute(Files.readString(QUERIES.resolve(file)), variables);
      Path twin = QUERIES.resolve("trino").resolve(file);
      String trinoSql =
          substitute(
              Files.readString(Files.exists(twin) ? twin : QUERIES.resolve(file)), variables);
      List<List<String>> viaTrino = trinoRows(trinoSql);
      List<List<String>> viaSpark = sparkRows(sparkSql);
      assertThat(viaTrino)
          .as(file)
          .usingElementComparator(TrinoIT::compareRows)
          .containsExactlyElementsOf(viaSpark);
      rowsPerFile.put(file, viaTrino.size());
    }
    System.out.println("[TrinoIT] rows per shipped query: " + rowsPerFile);
    assertThat(rowsPerFile).allSatisfy((file, rows) -> assertThat(rows).as(file).isPositive());
  }

  @Test
  @Order(3)
  void nothingCanBeWrittenThroughTrino() throws Exception {
    Map<String, Long> commits = commits();
    for (String statement :
        List.of(
            "DELETE FROM model_registry",
            "DROP TABLE model_registry",
            "INSERT INTO alias_log SELECT * FROM alias_log",
            "UPDATE job_runs SET job = 'x'",
            "CREATE TABLE copy AS SELECT * FROM model_registry",
            "ALTER TABLE tiny_raw EXECUTE optimize",
            "COMMENT ON TABLE model_registry IS 'x'",
            "CALL delta.system.vacuum('sluice', 'tiny_raw', '0s')",
            "CALL delta.system.register_table(schema_name => 'sluice', table_name => 'x', "
                + "table_location => 'file://"
                + lake.resolve("tiny_raw")
                + "')",
            "SELECT count(*) FROM delta_admin.sluice.model_registry")) {
      assertThatThrownBy(() -> single(statement))
          .as(statement)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Access Denied");
    }
    assertThat(commits()).isEqualTo(commits);
  }

  @Test
  @Order(4)
  void newCommitsAreReadAtOnceAndSyncFollowsTheTables() throws Exception {
    Path batch = dir.resolve("data/more.csv");
    Files.write(batch, TinyDataset.lines(ROWS, ROWS + 50));
    List<String> ingest =
        new ArrayList<>(
            List.of("ingest", "--config", conf.toString(), "--files", batch.toString()));
    ingest.addAll(settings());
    Scripts.Result more =
        Scripts.run(dir.resolve("logs"), "ingest-more", Map.of(), "spark-submit", ingest);
    assertThat(more.exitCode()).as(more.stderr()).isZero();
    assertThat(single("SELECT count(*) FROM tiny_raw")).isEqualTo(Integer.toString(ROWS + 50));

    Scripts.Result again = trinoSh("sync");
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stderr()).contains(", 0 registered, 0 unregistered");

    // A table made since, and one gone.
    org.apache.commons.io.FileUtils.copyDirectory(
        lake.resolve("alias_log").toFile(), lake.resolve("alias_log_copy").toFile());
    org.apache.commons.io.FileUtils.deleteDirectory(lake.resolve("retrain_decisions").toFile());
    Scripts.Result changed = trinoSh("sync");
    assertThat(changed.stderr()).contains(", 1 registered, 1 unregistered");
    assertThat(single("SELECT count(*) FROM alias_log_copy"))
        .isEqualTo(single("SELECT count(*) FROM alias_log"));
    assertThatThrownBy(() -> single("SELECT count(*) FROM retrain_decisions"))
        .hasMessageContaining("does not exist");

    // What a BI tool waits for: a warm query on a small table (timed, not asserted).
    long[] millis = new long[15];
    for (int i = 0; i < millis.length; i++) {
      long start = System.nanoTime();
      single("SELECT count(*) FROM model_registry");
      millis[i] = (System.nanoTime() - start) / 1_000_000;
    }
    Arrays.sort(millis);
    System.out.printf(
        "[TrinoIT] warm SELECT count(*) FROM model_registry over JDBC: median %d ms, max %d ms%n",
        millis[millis.length / 2], millis[millis.length - 1]);

    Scripts.Result status = trinoSh("status");
    assertThat(status.exitCode()).isZero();
    assertThat(status.stdout())
        .contains("JDBC: jdbc:trino://127.0.0.1:" + env.get("SLUICE_TRINO_PORT"));
    Scripts.Result query =
        trinoSh(
            "query", "-f", QUERIES.resolve("cv_leaderboard.sql").toString(), "--var", "model=tiny");
    assertThat(query.exitCode()).as(query.stderr()).isZero();
    assertThat(query.stderr()).contains("the Trino twin of");
    assertThat(query.stdout()).startsWith("rank,model_version,estimator,params,metric,");
  }

  @Test
  @Order(5)
  void beyondLoopbackOnlyHttpsWithAPasswordGetsIn() throws Exception {
    assertThat(trinoSh("stop").exitCode()).isZero();
    Map<String, String> open = new HashMap<>(env);
    open.put("SLUICE_TRINO_BIND", "0.0.0.0");
    open.put("SLUICE_TRINO_HTTPS_PORT", Integer.toString(freePort()));
    Scripts.Result refused =
        Scripts.run(dir.resolve("logs"), "trino-open-start", open, "trino.sh", List.of("start"));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr())
        .contains("needs HTTPS with passwords: set SLUICE_TRINO_PASSWORD_FILE");

    String password = "pw-" + Long.toHexString(System.nanoTime());
    Path passwords = dir.resolve("trino-passwords");
    Files.writeString(passwords, "analyst:" + pbkdf2(password) + "\n");
    Files.setPosixFilePermissions(
        passwords, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    open.put("SLUICE_TRINO_PASSWORD_FILE", passwords.toString());
    Scripts.Result start =
        Scripts.run(dir.resolve("logs"), "trino-https-start", open, "trino.sh", List.of("start"));
    assertThat(start.exitCode()).as(start.stderr()).isZero();
    assertThat(start.stderr()).contains(", 0 registered, 0 unregistered");
    env = open;

    String cert = lake.resolve(".trino/etc/cert.pem").toString();
    String https =
        "jdbc:trino://127.0.0.1:"
            + open.get("SLUICE_TRINO_HTTPS_PORT")
            + "/delta/sluice?SSL=true"
            + "&SSLVerification=CA&SSLTrustStorePath="
            + cert;
    try (Connection connection = DriverManager.getConnection(https, "analyst", password);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM model_registry")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isEqualTo(1);
    }
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(https, "analyst", "wrong")
                    .createStatement()
                    .executeQuery("SELECT 1"))
        .hasMessageContaining("Invalid credentials");
    String http = "jdbc:trino://127.0.0.1:" + open.get("SLUICE_TRINO_PORT") + "/delta/sluice";
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(http, "analyst", null)
                    .createStatement()
                    .executeQuery("SELECT 1"))
        .hasMessageContaining("Authentication over HTTP is not enabled");
    try (Stream<Path> logs = Files.walk(dir.resolve("logs"))) {
      for (Path log : logs.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain(password);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Trino's PBKDF2 password-file entry: iterations, salt and key in hex. */
  private static String pbkdf2(String password) throws Exception {
    byte[] salt = new byte[16];
    new java.security.SecureRandom().nextBytes(salt);
    byte[] key =
        javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
            .generateSecret(
                new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, 100_000, 256))
            .getEncoded();
    java.util.HexFormat hex = java.util.HexFormat.of();
    return "100000:" + hex.formatHex(salt) + ":" + hex.formatHex(key);
  }

  private static List<String> tables() throws IOException {
    return TinyDataset.tables(lake);
  }

  private static Map<String, Long> commits() throws IOException {
    Map<String, Long> commits = new TreeMap<>();
    for (String table : tables()) {
      try (Stream<Path> files = Files.list(lake.resolve(table).resolve("_delta_log"))) {
        commits.put(table, files.filter(f -> f.toString().endsWith(".json")).count());
      }
    }
    return commits;
  }

  private static String single(String sql) throws SQLException {
    try (Statement statement = trino.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as(sql).isTrue();
      return rows.getString(1);
    }
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_]+)}");

  private static String substitute(String sql, Map<String, String> variables) {
    Matcher matcher = VARIABLE.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(variables.get(matcher.group(1))));
    }
    return matcher.appendTail(out).toString().strip().replaceAll(";$", "");
  }

  private static List<List<String>> trinoRows(String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Statement statement = trino.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      int n = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        List<String> row = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
          row.add(normal(rows.getString(c)));
        }
        out.add(row);
      }
    }
    return out;
  }

  /**
   * The rows scripts/sql.sh prints for {@code sql} as CSV (where timestamps keep their
   * microseconds), without the header.
   */
  private static List<List<String>> sparkRows(String sql) {
    ShellRun run =
        ShellRun.csv(SparkTestBase.spark, new LakehouseSettings(lake.toString(), "sluice"), sql);
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<List<String>> rows = csv(run.out());
    return rows.subList(1, rows.size()).stream()
        .map(row -> row.stream().map(TrinoIT::normal).toList())
        .toList();
  }

  /** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks; empty is null. */
  private static List<List<String>> csv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',' || c == '\n') {
        row.add(field.length() == 0 && !wasQuoted ? null : field.toString());
        field.setLength(0);
        wasQuoted = false;
        if (c == '\n') {
          rows.add(row);
          row = new ArrayList<>();
        }
      } else if (c != '\r') {
        field.append(c);
      }
    }
    return rows;
  }

  /**
   * Rows compare cell by cell, exactly, except instants: Trino reads Delta's microseconds as
   * milliseconds, so an instant may differ from Spark's by less than a millisecond.
   */
  private static int compareRows(List<String> a, List<String> b) {
    if (a.size() != b.size()) {
      return Integer.compare(a.size(), b.size());
    }
    for (int i = 0; i < a.size(); i++) {
      String x = a.get(i);
      String y = b.get(i);
      if (x.equals(y)) {
        continue;
      }
      try {
        if (Math.abs(Duration.between(Instant.parse(x), Instant.parse(y)).toNanos()) < 1_000_000) {
          continue;
        }
      } catch (java.time.format.DateTimeParseException e) {
        // not instants: they differ
      }
      return x.compareTo(y);
    }
    return 0;
  }

  private static final Pattern TIMESTAMP =
      Pattern.compile("(\\d{4}-\\d\\d-\\d\\d)[ T](\\d\\d:\\d\\d:\\d\\d)(\\.\\d+)?(?: UTC|Z)?");

  /**
   * One value as both engines agree to print it: numbers by their double value, timestamps as UTC
   * instants, JSON objects with sorted keys, null as "null".
   */
  private static String normal(String value) {
    if (value == null) {
      return "null";
    }
    Matcher time = TIMESTAMP.matcher(value);
    if (time.matches()) {
      String fraction = time.group(3) == null ? "" : time.group(3);
      return Instant.parse(time.group(1) + "T" + time.group(2) + fraction + "Z").toString();
    }
    if (value.startsWith("{")) {
      try {
        return JSON.writeValueAsString(JSON.readValue(value, TreeMap.class));
      } catch (IOException e) {
        return value;
      }
    }
    try {
      return Double.toString(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return value;
    }
  }
}
