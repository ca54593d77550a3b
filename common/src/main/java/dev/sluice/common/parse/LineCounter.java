package dev.sluice.common.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW_BITS = 0x7F7F7F7F7F7F7F7FL;
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long RETURNS = 0x0D0D0D0D0D0D0D0DL;

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
      // The segment's first position starts a line by the byte before it; each later one by the
      // byte before it and (after a '\r') its own. The segment is never empty: a split start is
      // noted as soon as it is counted.
      lines += startsLine(previous, bytes[i]) + lineEnds(bytes, i, stop - 1);
      previous = bytes[stop - 1];
      position += stop - i;
      i = stop;
      if (nextSplit < splitStarts.length && position == splitStarts[nextSplit] + 1) {
        linesBefore[nextSplit++] = lines;
      }
    }
  }

  private static int startsLine(int before, int at) {
    return before == '\n' || (before == '\r' && at != '\n') ? 1 : 0;
  }

  /**
   * The line ends at positions {@code from..to-1}: each {@code \n}, and each {@code \r} that no
   * {@code \n} follows ({@code bytes[to]} is read to tell). Eight bytes at a time: a '\n' is found
   * and counted by bit arithmetic on a long, and the rare word that holds a '\r' is counted a byte
   * at a time.
   */
  private static long lineEnds(byte[] bytes, int from, int to) {
    long count = 0;
    int p = from;
    for (; p + Long.BYTES <= to; p += Long.BYTES) {
      long word = (long) LONGS.get(bytes, p);
      if (zeroBytes(word ^ RETURNS) == 0) {
        count += zeroBytes(word ^ NEWLINES);
      } else {
        count += lineEndsOneByOne(bytes, p, p + Long.BYTES);
      }
    }
    return count + lineEndsOneByOne(bytes, p, to);
  }

  private static long lineEndsOneByOne(byte[] bytes, int from, int to) {
    long count = 0;
    for (int p = from; p < to; p++) {
      count += startsLine(bytes[p], bytes[p + 1]);
    }
    return count;
  }

  /** How many of the eight bytes of {@code word} are zero, exactly (no carry between bytes). */
  private static int zeroBytes(long word) {
    long high = ~(((word & LOW_BITS) + LOW_BITS) | word | LOW_BITS);
    return Long.bitCount(high);
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
