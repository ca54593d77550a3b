package dev.sluice.common.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Makes a table's folder (and the root above it) before the first write to it, once per table. A
 * directory made so takes its permissions from the session's umask ({@code
 * fs.permissions.umask-mode}); one a file system makes as the missing parent of a written file may
 * not (HDFS gives it the NameNode's default, rwxr-xr-x), so every write asks here first.
 */
final class TableFolders {
  private final Configuration hadoopConfiguration;
  private final Set<String> made = ConcurrentHashMap.newKeySet();

  TableFolders(Configuration hadoopConfiguration) {
    this.hadoopConfiguration = hadoopConfiguration;
  }

  /** {@code location}, the folder of {@code table}, made if this lakehouse has not made it. */
  String made(String table, String location) {
    if (made.add(table)) {
      Path folder = new Path(location);
      try {
        folder.getFileSystem(hadoopConfiguration).mkdirs(folder);
      } catch (IOException e) {
        made.remove(table);
        throw new UncheckedIOException("Cannot create the folder of table " + table, e);
      }
    }
    return location;
  }
}
