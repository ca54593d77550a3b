package dev.sluice.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes an Adult-like file of any size for benchmarks: each line is a seeded random row of
 * adult.data with its numeric fields jittered, so columns, types, null rate and label relationship
 * stay those of the real data. Lines are streamed to disk; only adult.data's 32,561 rows are held
 * in memory.
 *
 * <p>Usage: {@code GenerateAdultLike <adult.data> <output> <rows> <seed>}
 */
public final class GenerateAdultLike {
  private static final String DELIMITER = ", ";
  private static final int AGE = 0;
  private static final int FNLWGT = 2;
  private static final int HOURS = 12;

  private GenerateAdultLike() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: GenerateAdultLike <adult.data> <output> <rows> <seed>");
      System.exit(2);
    }
    List<String> rows =
        Files.readAllLines(Path.of(args[0]), StandardCharsets.US_ASCII).stream()
            .filter(line -> !line.isBlank())
            .toList();
    long count = Long.parseLong(args[2]);
    Random random = new Random(Long.parseLong(args[3]));
    try (BufferedWriter out =
        Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.US_ASCII)) {
      for (long i = 0; i < count; i++) {
        String[] fields = rows.get(random.nextInt(rows.size())).split(DELIMITER, -1);
        fields[AGE] =
            String.valueOf(clamp(Integer.parseInt(fields[AGE]) + random.nextInt(5) - 2, 17, 90));
        fields[FNLWGT] =
            String.valueOf(
                Math.max(1, Integer.parseInt(fields[FNLWGT]) + random.nextInt(2001) - 1000));
        fields[HOURS] =
            String.valueOf(clamp(Integer.parseInt(fields[HOURS]) + random.nextInt(5) - 2, 1, 99));
        out.write(String.join(DELIMITER, fields));
        out.write('\n');
      }
    }
  }

  private static int clamp(int value, int low, int high) {
    return Math.max(low, Math.min(high, value));
  }
}
