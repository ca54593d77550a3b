package dev.sluice.common.parse;

import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of one ingest batch, found and checked on the driver before any Spark job: their paths,
 * content hashes, the batch id those give, and a header or field-count check of each file's first
 * data line.
 */
public final class BatchFiles {
  private static final int HASH_BUFFER_BYTES = 1 << 20;
  private static final int BATCH_ID_HEX_CHARS = 32;
  private static final int FILE_KEY_HEX_CHARS = 12;

  private final List<String> paths;
  private final Map<String, String> hashes;
  private final Map<String, LineIndex> lineIndexes;
  private final Configuration readConfiguration;
  private final String batchId;

  private BatchFiles(
      List<String> paths,
      Map<String, String> hashes,
      Map<String, LineIndex> lineIndexes,
      Configuration readConfiguration,
      String batchId) {
    this.paths = paths;
    this.hashes = hashes;
    this.lineIndexes = lineIndexes;
    this.readConfiguration = readConfiguration;
    this.batchId = batchId;
  }

  /**
   * The Hadoop configuration to read the files with: its splits are those the lines were counted
   * for.
   */
  public Configuration readConfiguration() {
    return readConfiguration;
  }

  public List<String> paths() {
    return paths;
  }

  public String batchId() {
    return batchId;
  }

  /**
   * Each file's lines, counted from the bytes its hash read, by file; empty when they could not be
   * counted that way (see {@link SourceLines#splitStarts}).
   */
  public Map<String, LineIndex> lineIndexes() {
    return lineIndexes;
  }

  /** A short key per file for row ids: distinct per batch and file name. */
  public Map<String, String> fileKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String path : paths) {
      keys.put(
          path, sha256(batchId + "/" + new Path(path).getName()).substring(0, FILE_KEY_HEX_CHARS));
    }
    return keys;
  }

  /**
   * Expands {@code patterns} (globs allowed) and hashes every file's content; the files are to be
   * read with {@code hadoop} split by {@code sizing} ({@link #readConfiguration()}).
   */
  public static BatchFiles resolve(
      String dataset,
      String source,
      List<String> patterns,
      Configuration hadoop,
      SourceLines.SplitSizing sizing) {
    // Each file once, in path order, with its size from the listing.
    Map<String, Long> sizes = new TreeMap<>();
    try {
      for (String pattern : patterns) {
        Path path = new Path(pattern);
        FileSystem fs = path.getFileSystem(hadoop);
        FileStatus[] matches = fs.globStatus(path);
        if (matches != null) {
          for (FileStatus match : matches) {
            if (match.isFile()) {
              sizes.put(fs.makeQualified(match.getPath()).toString(), match.getLen());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the files of source " + source, e);
    }
    if (sizes.isEmpty()) {
      throw Errors.noSourceFiles(source, patterns);
    }
    List<String> paths = List.copyOf(sizes.keySet());
    // The hash reads every byte of every file: it counts their lines on the way, for the parse's
    // line numbers, where Spark's split computation lets it.
    Configuration reading =
        sizing.configure(hadoop, sizes.values().stream().mapToLong(Long::longValue).sum());
    Map<String, long[]> splitStarts = SourceLines.splitStarts(paths, reading).orElse(null);
    Map<String, HashedFile> hashed = hashAll(paths, splitStarts, hadoop);
    Map<String, String> hashes = new LinkedHashMap<>();
    Map<String, LineIndex> lineIndexes = new LinkedHashMap<>();
    hashed.forEach(
        (path, file) -> {
          hashes.put(path, file.hash());
          if (file.lines() != null) {
            lineIndexes.put(path, file.lines());
          }
        });
    StringBuilder identity = new StringBuilder(dataset);
    for (String path : paths) {
      // The name and content make the batch: the same files copied elsewhere are the same batch,
      // a changed file under the same name is a new one.
      identity.append('\n').append(new Path(path).getName()).append(' ').append(hashes.get(path));
    }
    return new BatchFiles(
        paths,
        hashes,
        lineIndexes,
        reading,
        sha256(identity.toString()).substring(0, BATCH_ID_HEX_CHARS));
  }

  /**
   * Checks each file's first data line against the spec: with a header, the columns' source names
   * (a column's {@code source-name}, or its name); without, the field count. A file that does not
   * fit is rejected as a whole, before anything is read by Spark.
   */
  public void checkShape(DatasetSpec spec, LabelPolicy labelPolicy, Configuration hadoop) {
    LineParser parser = new LineParser(spec, labelPolicy);
    for (String path : paths) {
      Optional<String> first = firstDataLine(path, parser, hadoop);
      if (first.isEmpty()) {
        continue;
      }
      Optional<List<String>> fields = parser.fields(first.get());
      if (fields.isEmpty()) {
        // Broken quoting on the first line is a row problem, quarantined like any other.
        continue;
      }
      if (spec.csv().header()) {
        if (!parser.acceptsHeader(fields.get())) {
          throw Errors.headerMismatch(path, spec.sourceNames(), fields.get());
        }
      } else if (!parser.fitsWidth(fields.get().size())) {
        throw Errors.fieldCountMismatch(
            path, fields.get().size(), spec.columnNames(), parser.labelAbsentAllowed());
      }
    }
  }

  private static Optional<String> firstDataLine(
      String path, LineParser parser, Configuration hadoop) {
    try (BufferedReader reader = SourceLines.open(path, hadoop)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (parser.skipKind(line).isEmpty()) {
          return Optional.of(line);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  /** A file's content hash, and its lines when they were counted. */
  private record HashedFile(String hash, LineIndex lines) {}

  private static Map<String, HashedFile> hashAll(
      List<String> paths, Map<String, long[]> splitStarts, Configuration hadoop) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(paths.size(), 4));
    try {
      Map<String, Future<HashedFile>> futures = new LinkedHashMap<>();
      for (String path : paths) {
        LineCounter lines =
            splitStarts == null
                ? null
                : new LineCounter(splitStarts.getOrDefault(path, new long[0]));
        futures.put(path, pool.submit(() -> hashFile(path, lines, hadoop)));
      }
      Map<String, HashedFile> hashes = new LinkedHashMap<>();
      for (Map.Entry<String, Future<HashedFile>> entry : futures.entrySet()) {
        hashes.put(entry.getKey(), entry.getValue().get());
      }
      return hashes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while hashing the batch's files", e);
    } catch (ExecutionException e) {
      throw new UncheckedIOException(
          "Cannot read a file of the batch: " + e.getCause().getMessage(),
          e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
    } finally {
      pool.shutdownNow();
    }
  }

  private static HashedFile hashFile(String path, LineCounter lines, Configuration hadoop)
      throws IOException {
    Path file = new Path(path);
    MessageDigest digest = sha256Digest();
    byte[] buffer = new byte[HASH_BUFFER_BYTES];
    try (InputStream in = file.getFileSystem(hadoop).open(file)) {
      int read;
      while ((read = in.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
        if (lines != null) {
          lines.update(buffer, 0, read);
        }
      }
    }
    return new HashedFile(
        HexFormat.of().formatHex(digest.digest()), lines == null ? null : lines.index());
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(sha256Digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  Map<String, String> hashes() {
    return hashes;
  }
}
