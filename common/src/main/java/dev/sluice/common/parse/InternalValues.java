package dev.sluice.common.parse;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.util.Calendar;
import java.util.TimeZone;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Parsed values in Spark's internal form, the numbers Spark's {@code createDataFrame} makes of the
 * same {@code java.sql} values: strings as {@link UTF8String}, dates as days and timestamps as
 * microseconds since the epoch. Spark's own converters ({@code catalyst.util.DateTimeUtils}) are
 * internal API, so this is their public-API twin, written from Spark's conversion rules:
 *
 * <ul>
 *   <li>A {@code java.sql} value means its date-time fields in the JVM's default time zone (not the
 *       session's), in the hybrid Julian/Gregorian calendar of {@code java.util}; Spark keeps those
 *       fields and reads them in the proleptic Gregorian calendar of {@code java.time}.
 *   <li>So a value since the Gregorian calendar began (1582-10-15) keeps its instant, and an older
 *       one moves by the calendars' difference (ten days in 1582).
 *   <li>A timestamp also moves where {@code java.util}'s offset of the default time zone differs
 *       from {@code java.time}'s (the two can disagree before a zone adopted standard time).
 * </ul>
 *
 * <p>ParseSourceTest compares every value type with {@code createDataFrame} in several time zones.
 */
final class InternalValues {
  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final long MICROS_PER_MILLI = 1_000L;
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final int NANOS_PER_MICRO = 1_000;

  /** 1582-10-15, the first day of the Gregorian calendar, in days since the epoch. */
  private static final int GREGORIAN_START_DAY = -141_427;

  private static final long GREGORIAN_START_MILLIS = GREGORIAN_START_DAY * MILLIS_PER_DAY;
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private InternalValues() {}

  /** A string as Spark holds it. */
  static UTF8String string(String value) {
    return UTF8String.fromString(value);
  }

  /** A date as Spark's days since 1970-01-01: its fields in the default time zone. */
  static int days(Date date) {
    long millis = date.getTime();
    int days =
        Math.toIntExact(
            Math.floorDiv(millis + TimeZone.getDefault().getOffset(millis), MILLIS_PER_DAY));
    if (days >= GREGORIAN_START_DAY) {
      return days;
    }
    // Julian fields, as a proleptic Gregorian date; the day is added last, as a Julian date such
    // as 1000-02-29 has no Gregorian twin.
    Calendar julian = hybridCalendar(UTC, days * MILLIS_PER_DAY);
    LocalDate gregorian =
        LocalDate.of(julian.get(Calendar.YEAR), julian.get(Calendar.MONTH) + 1, 1)
            .with(ChronoField.ERA, julian.get(Calendar.ERA))
            .plusDays(julian.get(Calendar.DAY_OF_MONTH) - 1L);
    return Math.toIntExact(gregorian.toEpochDay());
  }

  /** A timestamp as Spark's microseconds since 1970-01-01T00:00:00Z. */
  static long micros(Timestamp timestamp) {
    long millis = timestamp.getTime();
    long micros =
        Math.addExact(
            Math.multiplyExact(millis, MICROS_PER_MILLI),
            (timestamp.getNanos() / NANOS_PER_MICRO) % MICROS_PER_MILLI);
    TimeZone zone = TimeZone.getDefault();
    if (millis >= GREGORIAN_START_MILLIS
        && zone.getOffset(millis)
            == zone.toZoneId().getRules().getOffset(Instant.ofEpochMilli(millis)).getTotalSeconds()
                * 1_000L) {
      // Both calendars and both time zone libraries give the instant the same fields.
      return micros;
    }
    return rebased(zone, micros);
  }

  /**
   * The microseconds of the local date-time that {@code micros} has in {@code zone} in the hybrid
   * calendar, read in the proleptic Gregorian calendar: at a local time that occurs twice, the
   * later offset when the instant was outside daylight saving time.
   */
  private static long rebased(TimeZone zone, long micros) {
    Calendar hybrid = hybridCalendar(zone, Math.floorDiv(micros, MICROS_PER_MILLI));
    LocalDateTime local =
        LocalDateTime.of(
                hybrid.get(Calendar.YEAR),
                hybrid.get(Calendar.MONTH) + 1,
                1,
                hybrid.get(Calendar.HOUR_OF_DAY),
                hybrid.get(Calendar.MINUTE),
                hybrid.get(Calendar.SECOND),
                (int) Math.floorMod(micros, MICROS_PER_SECOND) * NANOS_PER_MICRO)
            .plusDays(hybrid.get(Calendar.DAY_OF_MONTH) - 1L);
    ZonedDateTime zoned = local.atZone(zone.toZoneId());
    if (hybrid.get(Calendar.DST_OFFSET) == 0) {
      zoned = zoned.withLaterOffsetAtOverlap();
    }
    Instant instant = zoned.toInstant();
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND),
        instant.getNano() / NANOS_PER_MICRO);
  }

  /** {@code java.util}'s calendar (Julian before 1582-10-15) at {@code millis} in {@code zone}. */
  private static Calendar hybridCalendar(TimeZone zone, long millis) {
    return new Calendar.Builder()
        .setCalendarType("gregory")
        .setTimeZone(zone)
        .setInstant(millis)
        .build();
  }
}
