package dev.sluice.jobs.reliability;

import io.delta.storage.HDFSLogStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A test-only Delta log store: Delta's own configuration point ({@code
 * spark.delta.logStore.file.impl}) selects it for one spark-submit; nothing in production code
 * knows it. While the marker file named by {@code sluice.test.pause-marker} exists, it stops before
 * writing a commit ({@code _delta_log/NNN.json}) of the table folder named by {@code
 * sluice.test.pause-table}: the data files are written, the commit is not. It announces the pause
 * by creating {@code <marker>.paused} and waits there to be killed.
 */
public class PausingLogStore extends HDFSLogStore {
  static final String MARKER = "sluice.test.pause-marker";
  static final String TABLE = "sluice.test.pause-table";
  private static final Pattern COMMIT = Pattern.compile("\\d{20}\\.json");

  public PausingLogStore(Configuration initHadoopConf) {
    super(initHadoopConf);
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration conf)
      throws IOException {
    String marker = conf.get(MARKER, "");
    String table = conf.get(TABLE, "");
    if (!marker.isEmpty()
        && COMMIT.matcher(path.getName()).matches()
        && path.getParent().getParent().getName().equals(table)) {
      Path markerPath = new Path(marker);
      FileSystem fs = markerPath.getFileSystem(conf);
      if (fs.exists(markerPath)) {
        fs.create(new Path(marker + ".paused")).close();
        while (true) {
          try {
            Thread.sleep(1_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while paused before " + path, e);
          }
        }
      }
    }
    super.write(path, actions, overwrite, conf);
  }
}
