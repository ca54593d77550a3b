package dev.sluice.common.lakehouse;

import static java.util.Objects.requireNonNull;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What commits recorded about themselves, read from their own files in the table's log ({@code
 * _delta_log/<20-digit version>.json}, each holding one {@code commitInfo} action, as Delta's
 * protocol lays them out) through Delta Kernel's public file-system and JSON handlers: no Spark job
 * and no Spark session. Kernel's commit-range API reads the same files, but its {@code commitInfo}
 * leaves out the commit's tag ({@code userMetadata}) and tags.
 */
public final class CommitFiles {
  private static final Pattern COMMIT_FILE = Pattern.compile("(\\d{20})\\.json");

  private static final MapType STRINGS = new MapType(StringType.STRING, StringType.STRING, true);

  /** The fields of the {@code commitInfo} action read here; every other action reads as null. */
  private static final StructType COMMIT_INFO =
      new StructType()
          .add(
              "commitInfo",
              new StructType()
                  .add("userMetadata", StringType.STRING)
                  .add("tags", STRINGS)
                  .add("operationMetrics", STRINGS)
                  .add("isBlindAppend", BooleanType.BOOLEAN));

  /** The writers' transactions a checksum file lists ({@code setTransactions}). */
  private static final StructType CHECKSUM_TRANSACTIONS =
      new StructType()
          .add(
              "setTransactions",
              new ArrayType(
                  new StructType().add("appId", StringType.STRING).add("version", LongType.LONG),
                  true));

  /**
   * What a commit recorded about itself: its tag, its tags, its operation's metrics, and whether it
   * was a blind append (it only added files, having read none; false when it does not say).
   */
  public record CommitDetails(
      Optional<String> userMetadata,
      Map<String, String> tags,
      Map<String, String> metrics,
      boolean blindAppend) {}

  private final Engine engine;

  public CommitFiles(Engine engine) {
    this.engine = requireNonNull(engine, "engine is null");
  }

  /**
   * The information of the commit that made {@code version} of the table at {@code path}; empty
   * when its file is gone (cleaned up after a checkpoint, as Delta's history would not show it
   * either) or holds no commit information.
   */
  public Optional<CommitDetails> commit(String path, long version) {
    return commits(path, version, version).map(commits -> commits.get(0));
  }

  /**
   * The information of the commits that made versions {@code from} to {@code to}, in version order;
   * none when {@code from} is above {@code to}, and empty when one of those files is gone or holds
   * no commit information.
   */
  public Optional<List<CommitDetails>> commits(String path, long from, long to) {
    if (from > to) {
      return Optional.of(List.of());
    }
    Optional<List<FileStatus>> files = commitFiles(path, from, to);
    if (files.isEmpty()) {
      return Optional.empty();
    }
    List<CommitDetails> commits = new ArrayList<>();
    for (FileStatus file : files.get()) {
      Optional<CommitDetails> details = read(file);
      if (details.isEmpty()) {
        return Optional.empty();
      }
      commits.add(details.get());
    }
    return Optional.of(commits);
  }

  /**
   * Every writer's last transaction (Delta's {@code txnAppId} to its version) as the checksum file
   * of {@code version} lists them ({@code <20-digit version>.crc}, the protocol's version
   * checksum); empty when there is no such file or it lists none (a writer may leave them out, as
   * Delta does past {@code spark.databricks.delta.setTransactionsInCrc.maxAllowed} of them).
   */
  public Optional<Map<String, Long>> checksumTransactions(String path, long version) {
    String file = logFolder(path) + String.format("%020d.crc", version);
    FileStatus status;
    try {
      status = engine.getFileSystemClient().getFileStatus(file);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot look up the Delta checksum file " + file, e);
    }
    return firstAction(
        status,
        CHECKSUM_TRANSACTIONS,
        (transactions, row) -> {
          ArrayValue listed = transactions.getArray(row);
          ColumnVector each = listed.getElements();
          Map<String, Long> versions = new LinkedHashMap<>();
          for (int i = 0; i < listed.getSize(); i++) {
            versions.put(each.getChild(0).getString(i), each.getChild(1).getLong(i));
          }
          return versions;
        });
  }

  private static String logFolder(String path) {
    return (path.endsWith("/") ? path : path + "/") + "_delta_log/";
  }

  /** The commit files of versions {@code from} to {@code to}; empty when one is missing. */
  private Optional<List<FileStatus>> commitFiles(String path, long from, long to) {
    String log = logFolder(path);
    List<FileStatus> files = new ArrayList<>();
    try (CloseableIterator<FileStatus> listed =
        engine.getFileSystemClient().listFrom(log + String.format("%020d", from))) {
      while (listed.hasNext() && files.size() < to - from + 1) {
        FileStatus file = listed.next();
        Matcher name =
            COMMIT_FILE.matcher(file.getPath().substring(file.getPath().lastIndexOf('/') + 1));
        if (!name.matches()) {
          continue;
        }
        if (Long.parseLong(name.group(1)) != from + files.size()) {
          return Optional.empty();
        }
        files.add(file);
      }
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the Delta log of " + path, e);
    }
    return files.size() == to - from + 1 ? Optional.of(files) : Optional.empty();
  }

  private Optional<CommitDetails> read(FileStatus file) {
    return firstAction(file, COMMIT_INFO, CommitFiles::details);
  }

  /**
   * The first action of {@code schema}'s one top-level field in a log file (each line of the file
   * is an action; the others read as null there), read by {@code reader}; empty when the file has
   * none or is gone.
   */
  private <T> Optional<T> firstAction(
      FileStatus file, StructType schema, BiFunction<ColumnVector, Integer, T> reader) {
    try (CloseableIterator<ColumnarBatch> batches =
        engine
            .getJsonHandler()
            .readJsonFiles(KernelTables.single(file), schema, Optional.empty())) {
      while (batches.hasNext()) {
        ColumnarBatch batch = batches.next();
        ColumnVector action = batch.getColumnVector(0);
        for (int row = 0; row < batch.getSize(); row++) {
          if (!action.isNullAt(row)) {
            return Optional.of(reader.apply(action, row));
          }
        }
      }
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Delta log file " + file.getPath(), e);
    }
    return Optional.empty();
  }

  private static CommitDetails details(ColumnVector info, int row) {
    ColumnVector userMetadata = info.getChild(0);
    ColumnVector blindAppend = info.getChild(3);
    return new CommitDetails(
        userMetadata.isNullAt(row) ? Optional.empty() : Optional.of(userMetadata.getString(row)),
        strings(info.getChild(1), row),
        strings(info.getChild(2), row),
        !blindAppend.isNullAt(row) && blindAppend.getBoolean(row));
  }

  private static Map<String, String> strings(ColumnVector maps, int row) {
    if (maps.isNullAt(row)) {
      return Map.of();
    }
    MapValue map = maps.getMap(row);
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < map.getSize(); i++) {
      ColumnVector value = map.getValues();
      values.put(map.getKeys().getString(i), value.isNullAt(i) ? null : value.getString(i));
    }
    return java.util.Collections.unmodifiableMap(values);
  }
}
