package dev.sluice.jobs.sql;

import java.io.File;
import java.io.IOException;
import jline.console.ConsoleReader;
import jline.console.history.FileHistory;

/**
 * Terminal input through JLine 2 (on Spark's runtime classpath with Hive support): line editing,
 * and a history kept across sessions in {@code ~/.sluice_sql_history}.
 */
final class JLineInput implements SqlShell.LineInput {
  private static final String HISTORY_FILE = ".sluice_sql_history";

  private final ConsoleReader reader;
  private final FileHistory history;

  private JLineInput(ConsoleReader reader, FileHistory history) {
    this.reader = reader;
    this.history = history;
  }

  static JLineInput open() throws IOException {
    ConsoleReader reader = new ConsoleReader();
    reader.setExpandEvents(false);
    FileHistory history = new FileHistory(new File(System.getProperty("user.home"), HISTORY_FILE));
    reader.setHistory(history);
    return new JLineInput(reader, history);
  }

  @Override
  public String readLine(String prompt) throws IOException {
    return reader.readLine(prompt);
  }

  @Override
  public void close() throws IOException {
    history.flush();
    reader.shutdown();
  }
}
