package dev.sluice.jobs.sql;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.Sessions;
import dev.sluice.common.SluiceException;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.settings.SettingsLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A SQL shell on the lakehouse: every table registered by name, Delta configured, results as an
 * aligned table, CSV or JSON lines. {@code -e} and {@code -f} run statements non-interactively and
 * stop at the first error with exit code 1; without them it reads statements from the terminal
 * (with line editing and history when JLine is on the classpath) or from standard input.
 */
public final class SqlShell {
  static final String USAGE =
      "sql [-e \"SQL\" | -f file.sql] [--var name=value]... [--format table|csv|json] [--config file]..."
          + " [--set key=value]...";

  /** Rows an aligned table shows at most; CSV and JSON print every row. */
  static final int MAX_TABLE_ROWS = 10_000;

  private static final String PROMPT = "sluice> ";
  private static final String CONTINUATION = "      > ";

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private final ResultFormat format;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> variables;

  SqlShell(
      SparkSession spark,
      LakehouseSettings settings,
      ResultFormat format,
      Map<String, String> variables,
      PrintStream out,
      PrintStream err) {
    this.spark = requireNonNull(spark, "spark is null");
    this.lakehouse = new Lakehouse(spark, requireNonNull(settings, "settings is null"));
    this.format = requireNonNull(format, "format is null");
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
    this.variables = Map.copyOf(variables);
  }

  /** The command line: what to run and how to print it; the rest are settings arguments. */
  record Options(
      Optional<String> statements,
      Optional<Path> file,
      Map<String, String> variables,
      ResultFormat format,
      List<String> rest) {
    Options {
      requireNonNull(statements, "statements is null");
      requireNonNull(file, "file is null");
      variables = Map.copyOf(variables);
      requireNonNull(format, "format is null");
      rest = List.copyOf(rest);
    }

    static Options parse(String[] args) {
      Optional<String> statements = Optional.empty();
      Optional<Path> file = Optional.empty();
      Map<String, String> variables = new java.util.LinkedHashMap<>();
      ResultFormat format = ResultFormat.TABLE;
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        boolean known =
            arg.equals("-e") || arg.equals("-f") || arg.equals("--var") || arg.equals("--format");
        if (known && i + 1 >= args.length) {
          throw Errors.badArgument(arg, "a value must follow it", USAGE);
        }
        switch (arg) {
          case "-e" -> statements = Optional.of(args[++i]);
          case "-f" -> file = Optional.of(Path.of(args[++i]));
          case "--var" -> {
            String assignment = args[++i];
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
              throw Errors.badArgument("--var " + assignment, "expected name=value", USAGE);
            }
            variables.put(assignment.substring(0, eq), assignment.substring(eq + 1));
          }
          case "--format" -> {
            String name = args[++i];
            try {
              format = ResultFormat.parse(name);
            } catch (IllegalArgumentException e) {
              throw Errors.badArgument("--format " + name, e.getMessage(), USAGE);
            }
          }
          default -> rest.add(arg);
        }
      }
      if (statements.isPresent() && file.isPresent()) {
        throw Errors.badArgument("-e and -f", "give one of them, not both", USAGE);
      }
      if (file.isPresent() && !Files.isReadable(file.get())) {
        throw Errors.badArgument(
            "-f " + file.get(), "the file does not exist or is unreadable", USAGE);
      }
      return new Options(statements, file, variables, format, rest);
    }
  }

  public static void main(String[] args) {
    Options options;
    LakehouseSettings settings;
    try {
      options = Options.parse(args);
      settings =
          LakehouseSettings.from(
              SettingsLoader.load(options.rest().toArray(String[]::new), Map.of(), USAGE).config());
    } catch (SluiceException e) {
      System.err.println("sluice sql: " + e.getMessage());
      System.exit(e.kind().exitCode());
      return;
    }
    int exitCode;
    SparkSession spark = Sessions.forJob("sql");
    try {
      exitCode =
          new SqlShell(
                  spark, settings, options.format(), options.variables(), System.out, System.err)
              .run(options);
    } finally {
      spark.stop();
    }
    System.exit(exitCode);
  }

  /** Opens the catalog, then runs the statements the options name; returns the exit code. */
  int run(Options options) {
    open();
    if (options.statements().isPresent()) {
      return runScript(options.statements().get());
    }
    if (options.file().isPresent()) {
      try {
        return runScript(Files.readString(options.file().get(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + options.file().get(), e);
      }
    }
    if (System.console() == null) {
      try {
        return runScript(new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read standard input", e);
      }
    }
    try (LineInput input = LineInput.forTerminal()) {
      interactive(input);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the terminal", e);
    }
    return 0;
  }

  /** Registers every table under the root and makes the lakehouse's database the current one. */
  List<String> open() {
    List<String> tables = lakehouse.registerAll();
    spark.sql("USE " + lakehouse.database());
    return tables;
  }

  /** Runs statements in order and stops at the first failure: 0 when all succeeded, else 1. */
  int runScript(String text) {
    for (String statement : SqlScript.statements(text)) {
      if (!execute(statement)) {
        return 1;
      }
    }
    return 0;
  }

  void interactive(LineInput input) throws IOException {
    err.println(
        "Sluice SQL on "
            + lakehouse.root()
            + ", database "
            + lakehouse.database()
            + ". End statements with ';', quit with 'quit;' or Ctrl-D.");
    StringBuilder pending = new StringBuilder();
    while (true) {
      String line = input.readLine(pending.toString().isBlank() ? PROMPT : CONTINUATION);
      if (line == null) {
        return;
      }
      pending.append(line).append('\n');
      SqlScript.Split split = SqlScript.split(pending.toString());
      for (String statement : split.complete()) {
        if (statement.equalsIgnoreCase("quit") || statement.equalsIgnoreCase("exit")) {
          return;
        }
        // A job may have created tables since the shell started.
        lakehouse.registerAll();
        long start = System.nanoTime();
        if (execute(statement)) {
          err.printf("(%.1f s)%n", (System.nanoTime() - start) / 1e9);
        }
      }
      pending.setLength(0);
      pending.append(split.rest().isBlank() ? "" : split.rest());
    }
  }

  /** Runs one statement and prints its result; prints the error and returns false on failure. */
  boolean execute(String statement) {
    try {
      print(spark.sql(SqlScript.substitute(statement, variables)));
      return true;
    } catch (Exception e) { // Spark's AnalysisException is checked to Java, yet thrown undeclared
      err.println("Error in: " + statement);
      err.println(e.getMessage());
      return false;
    }
  }

  private void print(Dataset<Row> result) {
    List<String> columns = List.of(result.columns());
    if (columns.isEmpty()) {
      return;
    }
    if (format == ResultFormat.JSON) {
      result.toJSON().collectAsList().forEach(out::println);
      return;
    }
    // Positional names make the cast independent of duplicate or odd column names.
    String[] positional = new String[columns.size()];
    Column[] text = new Column[columns.size()];
    for (int c = 0; c < positional.length; c++) {
      positional[c] = "c" + c;
      text[c] = functions.col(positional[c]).cast("string");
    }
    Dataset<Row> strings = result.toDF(positional).select(text);
    if (format == ResultFormat.TABLE) {
      strings = strings.limit(MAX_TABLE_ROWS + 1);
    }
    List<List<String>> rows = new ArrayList<>();
    for (Row row : strings.collectAsList()) {
      List<String> values = new ArrayList<>(row.size());
      for (int c = 0; c < row.size(); c++) {
        values.add(row.isNullAt(c) ? null : row.getString(c));
      }
      rows.add(values);
    }
    if (format == ResultFormat.CSV) {
      out.print(ResultFormat.csv(columns, rows));
      return;
    }
    boolean truncated = rows.size() > MAX_TABLE_ROWS;
    out.print(ResultFormat.table(columns, truncated ? rows.subList(0, MAX_TABLE_ROWS) : rows));
    err.println(
        truncated
            ? "(first " + MAX_TABLE_ROWS + " rows shown; use --format csv for all)"
            : "(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  /** Where interactive lines come from. */
  interface LineInput extends AutoCloseable {
    String readLine(String prompt) throws IOException;

    @Override
    void close() throws IOException;

    /** JLine (editing, history in ~/.sluice_sql_history) when on the classpath, else plain. */
    static LineInput forTerminal() throws IOException {
      try {
        Class.forName("jline.console.ConsoleReader", false, SqlShell.class.getClassLoader());
        return JLineInput.open();
      } catch (ClassNotFoundException e) {
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return new LineInput() {
          @Override
          public String readLine(String prompt) throws IOException {
            System.err.print(prompt);
            System.err.flush();
            return reader.readLine();
          }

          @Override
          public void close() {}
        };
      }
    }
  }
}
