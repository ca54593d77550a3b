package dev.sluice.jobs.sql;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import jline.UnsupportedTerminal;
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
    return open(new ConsoleReader(), new File(System.getProperty("user.home"), HISTORY_FILE));
  }

  /** Reads {@code in} as a terminal without editing would, keeping history in {@code history}. */
  static JLineInput open(InputStream in, OutputStream out, File history) throws IOException {
    return open(new ConsoleReader(in, out, new UnsupportedTerminal()), history);
  }

  private static JLineInput open(ConsoleReader reader, File historyFile) throws IOException {
    reader.setExpandEvents(false);
    FileHistory history = new FileHistory(historyFile);
    reader.setHistory(history);
    // Lines are added here, not by JLine, which skips history on a terminal it cannot drive.
    reader.setHistoryEnabled(false);
    return new JLineInput(reader, history);
  }

  @Override
  public String readLine(String prompt) throws IOException {
    String line = reader.readLine(prompt);
    if (line != null && !line.isBlank()) {
      history.add(line);
    }
    return line;
  }

  @Override
  public void close() throws IOException {
    history.flush();
    reader.shutdown();
  }
}
