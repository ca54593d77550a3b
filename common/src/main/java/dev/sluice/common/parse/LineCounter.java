package dev.sluice.common.parse;

import java.util.Arrays;

/**
 * Counts the lines of one uncompressed text file as its bytes stream past once, in order, and how
 * many lines come before each of the file's split starts, the way Hadoop's {@code LineRecordReader}
 * reads them:
 *
 * <ul>
 *   <li>a line ends at {@code \n}, at {@code \r\n}, or at {@code \r} alone, and the last line of
 *       the file needs no end;
 *   <li>a split from byte {@code s > 0} skips everything up to its first line end at or after
 *       {@code s}: a line that starts at {@code s} belongs to the split before it, which reads
 *       every line starting at or before its own end.
 * </ul>
 *
 * <p>So the lines before a split from {@code s > 0} are the line starts at positions {@code 0..s},
 * where a position is a line start when it is 0, or follows a {@code \n}, or follows a {@code \r}
 * that no {@code \n} follows.
 *
 * <p>Ingest feeds it the bytes it reads anyway to hash the batch's files, so the lines are numbered
 * without a Spark pass that reads every line to count them.
 */
public final class LineCounter {
  private final long[] splitStarts;
  private final long[] linesBefore;
  private int nextSplit;
  private long position;
  private long lines;
  private int previous = '\n';

  /** A counter for a file whose splits start at {@code splitStarts} (any order; 0 allowed). */
  public LineCounter(long[] splitStarts) {
    this.splitStarts = Arrays.stream(splitStarts).filter(s -> s > 0).sorted().distinct().toArray();
    this.linesBefore = new long[this.splitStarts.length];
  }

  /** Counts the next {@code length} bytes of the file. */
  public void update(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      // Count up to and including the next split start, to note the lines before it.
      long remaining = end - i;
      long untilSplit =
          nextSplit < splitStarts.length ? splitStarts[nextSplit] - position + 1 : remaining;
      int stop = i + (int) Math.min(remaining, untilSplit);
      long count = lines;
      int before = previous;
      for (int k = i; k < stop; k++) {
        int b = bytes[k];
        if (before == '\n' || (before == '\r' && b != '\n')) {
          count++;
        }
        before = b;
      }
      lines = count;
      previous = before;
      position += stop - i;
      i = stop;
      if (nextSplit < splitStarts.length && position == splitStarts[nextSplit] + 1) {
        linesBefore[nextSplit++] = lines;
      }
    }
  }

  /** The lines counted once every byte was fed, and the lines before each split start. */
  public LineIndex index() {
    if (nextSplit != splitStarts.length) {
      throw new IllegalStateException(
          "a split starts at byte "
              + splitStarts[nextSplit]
              + " but the file has "
              + position
              + " bytes");
    }
    return new LineIndex(lines, splitStarts.clone(), linesBefore.clone());
  }
}
