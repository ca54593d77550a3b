package dev.sluice.common.parse;

import dev.sluice.common.Errors;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A text file's line count and the number of the first line of each of its splits, from a {@link
 * LineCounter}.
 *
 * @param lines the file's lines
 * @param splitStarts the byte offsets (above 0, ascending) where the file's splits start
 * @param linesBefore for each split start, the lines of the splits before it
 */
public record LineIndex(long lines, long[] splitStarts, long[] linesBefore)
    implements Serializable {
  public LineIndex {
    if (splitStarts.length != linesBefore.length) {
      throw new IllegalArgumentException("one count of lines before is needed per split start");
    }
  }

  /** The 1-based number of the first line a split from byte {@code splitStart} reads. */
  public long firstLine(String file, long splitStart) {
    if (splitStart == 0) {
      return 1;
    }
    int at = Arrays.binarySearch(splitStarts, splitStart);
    if (at < 0) {
      throw Errors.invariantBroken(
          "a split of "
              + file
              + " starts at byte "
              + splitStart
              + ", where ingest found no split start when it counted the file's lines");
    }
    return linesBefore[at] + 1;
  }
}
