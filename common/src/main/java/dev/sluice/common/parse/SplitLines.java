package dev.sluice.common.parse;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.util.LineReader;

/**
 * Reads the lines of one split of a text file as Hadoop's text input ({@code TextInputFormat}'s
 * {@code LineRecordReader}) reads them, with the parts of it that are Hadoop's public API (the file
 * system, the codecs and the {@code LineReader} that {@code LineRecordReader} drives) and none of
 * its task context:
 *
 * <ul>
 *   <li>a line ends at {@code \n}, {@code \r\n} or {@code \r} (or at {@value #RECORD_DELIMITER}
 *       when it is set), and the last line of a file needs no end;
 *   <li>a split reads the lines that start in its bytes {@code (start, start + length]}, from byte
 *       0 for a file's first split: a split from byte {@code s > 0} skips its bytes up to its first
 *       line end at or after {@code s}, as the split before it reads the line they belong to;
 *   <li>a file's first line loses a UTF-8 byte order mark;
 *   <li>a compressed file is one split, read to its end;
 *   <li>a line of {@value #MAX_LINE_LENGTH} bytes or more, when that is set, is skipped.
 * </ul>
 *
 * <p>{@link LineCounter} counts lines by the same rules, so a split's first line number is known
 * without reading the lines before it.
 */
final class SplitLines implements Closeable {
  static final String RECORD_DELIMITER = "textinputformat.record.delimiter";
  static final String MAX_LINE_LENGTH = "mapreduce.input.linerecordreader.line.maxlength";
  private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final LineReader lines;
  private final Decompressor decompressor;
  private final boolean toTheEnd;
  private final long end;
  private final int maxLineLength;
  private final Text text = new Text();
  private long position;

  private SplitLines(
      InputStream in,
      Decompressor decompressor,
      Configuration conf,
      boolean toTheEnd,
      long start,
      long end)
      throws IOException {
    String delimiter = conf.get(RECORD_DELIMITER);
    this.lines =
        delimiter == null
            ? new LineReader(in, conf)
            : new LineReader(in, conf, delimiter.getBytes(StandardCharsets.UTF_8));
    this.decompressor = decompressor;
    this.toTheEnd = toTheEnd;
    this.end = end;
    this.maxLineLength = conf.getInt(MAX_LINE_LENGTH, Integer.MAX_VALUE);
    this.position = start;
    if (start != 0) {
      // The rest of the line the split starts in, read by the split before.
      position += lines.readLine(new Text(), 0, maxBytesToConsume());
    }
  }

  /**
   * Opens the split of {@code file} from byte {@code start} of {@code length} bytes; a compressed
   * file only whole, from byte 0.
   */
  static SplitLines open(String file, long start, long length, Configuration conf)
      throws IOException {
    Path path = new Path(file);
    FSDataInputStream raw = path.getFileSystem(conf).open(path);
    Decompressor decompressor = null;
    try {
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
      if (codec == null) {
        raw.seek(start);
        return new SplitLines(raw, null, conf, false, start, start + length);
      }
      if (start != 0) {
        throw new IllegalArgumentException(
            "a compressed file is read whole, not from byte " + start + ": " + file);
      }
      decompressor = CodecPool.getDecompressor(codec);
      return new SplitLines(
          codec.createInputStream(raw, decompressor), decompressor, conf, true, 0, length);
    } catch (IOException | RuntimeException e) {
      CodecPool.returnDecompressor(decompressor);
      raw.close();
      throw e;
    }
  }

  /**
   * Moves to the split's next line; false when it has none left. As {@code LineRecordReader}, a
   * skipped line too long that ends the split is still returned, cut to the maximum length.
   */
  boolean next() throws IOException {
    int size = 0;
    while (toTheEnd || position <= end) {
      if (position == 0) {
        size = firstLine();
      } else {
        size = lines.readLine(text, maxLineLength, maxBytesToConsume());
        position += size;
      }
      if (size == 0 || size < maxLineLength) {
        break;
      }
    }
    return size != 0;
  }

  /** The current line's text. */
  String line() {
    return new String(text.getBytes(), 0, text.getLength(), StandardCharsets.UTF_8);
  }

  /**
   * Reads the file's first line without a byte order mark, moving past the bytes it took: their
   * count less the mark's, which may come on top of the maximum length.
   */
  private int firstLine() throws IOException {
    int size =
        lines.readLine(
            text,
            (int) Math.min((long) maxLineLength + BYTE_ORDER_MARK.length, Integer.MAX_VALUE),
            maxBytesToConsume());
    position += size;
    byte[] bytes = text.getBytes();
    int length = text.getLength();
    if (length >= BYTE_ORDER_MARK.length
        && bytes[0] == BYTE_ORDER_MARK[0]
        && bytes[1] == BYTE_ORDER_MARK[1]
        && bytes[2] == BYTE_ORDER_MARK[2]) {
      text.set(text.copyBytes(), BYTE_ORDER_MARK.length, length - BYTE_ORDER_MARK.length);
      return size - BYTE_ORDER_MARK.length;
    }
    return size;
  }

  /** How far one line may read: to the split's end, or the maximum line length if longer. */
  private int maxBytesToConsume() {
    return toTheEnd
        ? Integer.MAX_VALUE
        : (int) Math.max(Math.min(Integer.MAX_VALUE, end - position), maxLineLength);
  }

  @Override
  public void close() throws IOException {
    try {
      lines.close();
    } finally {
      CodecPool.returnDecompressor(decompressor);
    }
  }
}
