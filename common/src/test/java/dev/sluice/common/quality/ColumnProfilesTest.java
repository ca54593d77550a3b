package dev.sluice.common.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.testing.TestSpecs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.datasketches.kll.KllSketch;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The statistics of {@link ColumnProfiles}, their sketches and their merge, without Spark. */
class ColumnProfilesTest {
  private static final DatasetSpec SPEC =
      DatasetSpecReader.read(
          TestSpecs.load(
                  """
                  sluice.dataset {
                    name = events
                    label { classes = ["no", "yes"], positive-class = "yes" }
                    columns = [
                      { name = id, role = id }
                      { name = at, role = timestamp, type = timestamp }
                      { name = amount, role = numeric, type = double }
                      { name = items, role = numeric, type = long }
                      { name = kind, role = categorical }
                      { name = outcome, role = label }
                    ]
                  }
                  """)
              .config());
  private static final int ID = 0;
  private static final int AT = 1;
  private static final int AMOUNT = 2;
  private static final int ITEMS = 3;
  private static final int KIND = 4;
  private static final int[] SKETCHED = {ID, AT, AMOUNT, ITEMS};
  private static final int[] NUMERIC = {AMOUNT, ITEMS};
  // The default relative error: k = 2,863, so 100,000 values are far past exact.
  private static final ColumnProfiles.Layout LAYOUT = ColumnProfiles.Layout.of(SPEC, 0.001, 1000);
  private static final double[] PROBABILITIES = {0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1};
  private static final long START = Timestamp.valueOf("2026-01-01 00:00:00").getTime();

  /**
   * Row {@code key}: an id and an instant (a microsecond apart) unique to the key, an amount and an
   * item count drawn from {@code random} (items: 0 to 9,999, with repeats), one of three kinds.
   */
  private static Object[] row(int key, Random random) {
    Timestamp at = new Timestamp(START + key / 1000);
    at.setNanos(at.getNanos() + key % 1000 * 1000);
    return new Object[] {
      "e-" + key,
      at,
      random.nextGaussian() * 1e4,
      (long) random.nextInt(10_000),
      List.of("a", "b", "c").get(random.nextInt(3)),
      random.nextBoolean() ? "yes" : "no"
    };
  }

  private static List<Object[]> rows(int n, long seed) {
    Random random = new Random(seed);
    List<Object[]> rows = new ArrayList<>();
    for (int key = 0; key < n; key++) {
      rows.add(row(key, random));
    }
    return rows;
  }

  private static ColumnProfiles profiles(List<Object[]> rows) {
    ColumnProfiles profiles = LAYOUT.empty();
    rows.forEach(profiles::add);
    return profiles;
  }

  @Test
  void halvesMergedGiveTheWholesProfileWithinTheSketchesBounds() throws Exception {
    List<Object[]> rows = rows(100_000, 3);
    ColumnProfiles whole = profiles(rows);
    // Each half's profiles travel serialized, as a task's accumulator does.
    ColumnProfiles merged = roundTrip(profiles(rows.subList(0, 50_000)));
    merged.merge(roundTrip(profiles(rows.subList(50_000, 100_000))));

    assertThat(merged.rows()).isEqualTo(whole.rows()).isEqualTo(100_000);
    for (int i = 0; i < SPEC.columns().size(); i++) {
      assertThat(merged.nonNull(i)).isEqualTo(whole.nonNull(i)).isEqualTo(100_000);
    }
    assertThat(merged.counts(KIND).byValue()).isEqualTo(whole.counts(KIND).byValue());
    double rankError = SketchBounds.rankError(LAYOUT);
    for (int i : NUMERIC) {
      double[] values = values(rows, i);
      assertThat(merged.min(i)).isEqualTo(whole.min(i)).isEqualTo(min(values));
      assertThat(merged.max(i)).isEqualTo(whole.max(i)).isEqualTo(max(values));
      // Sums and moments merged in another order differ in their last bits.
      assertThat(merged.mean(i)).isCloseTo(whole.mean(i), within(1e-9));
      assertThat(merged.stddev(i)).isCloseTo(whole.stddev(i), withinPercentage(1e-9));
      double[] mergedQuantiles = merged.quantiles(i, PROBABILITIES);
      double[] wholeQuantiles = whole.quantiles(i, PROBABILITIES);
      SketchBounds.assertQuantiles(values, PROBABILITIES, mergedQuantiles, rankError);
      SketchBounds.assertQuantiles(values, PROBABILITIES, wholeQuantiles, rankError);
      // The sketch keeps the smallest and largest values: q = 0 and 1 are exact, as in Spark.
      assertThat(mergedQuantiles[0]).isEqualTo(min(values));
      assertThat(mergedQuantiles[PROBABILITIES.length - 1]).isEqualTo(max(values));
    }
    for (int i : SKETCHED) {
      double exact = distinct(rows, i);
      assertThat((double) merged.approximateDistinct(i))
          .isCloseTo(exact, withinPercentage(100 * SketchBounds.DISTINCT_ERROR));
      assertThat((double) whole.approximateDistinct(i))
          .isCloseTo(exact, withinPercentage(100 * SketchBounds.DISTINCT_ERROR));
    }
  }

  @Test
  void aColumnOfAllNullsHasNullsAndNoStatistics() throws Exception {
    Object[] nulls = new Object[SPEC.columns().size()];
    ColumnProfiles profiles = LAYOUT.empty();
    for (int r = 0; r < 6; r++) {
      profiles.add(nulls);
    }
    ColumnProfiles more = LAYOUT.empty();
    for (int r = 0; r < 4; r++) {
      more.add(nulls);
    }
    profiles = roundTrip(profiles);
    profiles.merge(roundTrip(more));

    assertThat(profiles.rows()).isEqualTo(10);
    for (int i = 0; i < SPEC.columns().size(); i++) {
      assertThat(profiles.nonNull(i)).isZero();
    }
    for (int i : NUMERIC) {
      assertThat(profiles.min(i)).isNull();
      assertThat(profiles.max(i)).isNull();
      assertThat(profiles.mean(i)).isNull();
      assertThat(profiles.stddev(i)).isNull();
      assertThat(profiles.quantiles(i, PROBABILITIES)).isNull();
    }
    for (int i : SKETCHED) {
      assertThat(profiles.approximateDistinct(i)).isZero();
    }
    ValueCounts.Top top = profiles.counts(KIND).top(3).orElseThrow();
    assertThat(top.values()).containsExactly(RowFactory.create(null, 10L));
    assertThat(top.distinct()).isZero();

    // Merged with a row of values, the nulls leave that row's statistics as they are.
    Object[] values = row(7, new Random(5));
    ColumnProfiles one = LAYOUT.empty();
    one.add(values);
    profiles.merge(one);
    assertThat(profiles.rows()).isEqualTo(11);
    assertThat(profiles.min(AMOUNT)).isEqualTo(values[AMOUNT]);
    assertThat(profiles.max(AMOUNT)).isEqualTo(values[AMOUNT]);
    assertThat(profiles.mean(AMOUNT)).isEqualTo(values[AMOUNT]);
    assertThat(profiles.quantiles(ITEMS, new double[] {0.5}))
        .containsExactly(((Long) values[ITEMS]).doubleValue());
    for (int i : SKETCHED) {
      assertThat(profiles.approximateDistinct(i)).isEqualTo(1);
    }
  }

  /**
   * 10,000 distinct values, each twice, shuffled, over four tasks' sketches merged: each column's
   * distinct count within the HLL sketch's bound.
   */
  @Test
  void tenThousandDistinctValuesAreCountedWithinTheHllBound() throws Exception {
    List<Object[]> rows = new ArrayList<>();
    Random random = new Random(17);
    for (int key = 0; key < 10_000; key++) {
      Object[] row = row(key, random);
      row[AMOUNT] = key * 0.5;
      row[ITEMS] = (long) key;
      rows.add(row);
      rows.add(row.clone());
    }
    Collections.shuffle(rows, new Random(19));
    ColumnProfiles merged = LAYOUT.empty();
    for (int task = 0; task < 4; task++) {
      merged.merge(roundTrip(profiles(rows.subList(task * 5_000, (task + 1) * 5_000))));
    }

    for (int i : SKETCHED) {
      assertThat(distinct(rows, i)).isEqualTo(10_000);
      assertThat((double) merged.approximateDistinct(i))
          .as("column %s", SPEC.columns().get(i).name())
          .isCloseTo(10_000, withinPercentage(100 * SketchBounds.DISTINCT_ERROR));
    }
  }

  /** While a sketch holds every value (up to k), quantiles and distinct counts are exact. */
  @Test
  void fewValuesAreExactAndNoValueHasNoAnswer() throws Exception {
    ColumnProfiles profiles = LAYOUT.empty();
    assertThat(profiles.quantiles(ITEMS, PROBABILITIES)).isNull();
    ColumnProfiles empty = LAYOUT.empty();
    profiles.merge(empty);
    assertThat(profiles.quantiles(ITEMS, PROBABILITIES)).isNull();

    Random random = new Random(23);
    for (long items : new long[] {50, 39, 61, 28, 45, 33}) {
      Object[] row = row((int) items, random);
      row[ITEMS] = items;
      profiles.add(row);
    }
    // The quantile's rank is ceil(q * 6) among 28, 33, 39, 45, 50, 61.
    assertThat(profiles.quantiles(ITEMS, new double[] {0.5, 0.05, 0.75, 1.0}))
        .containsExactly(39.0, 28.0, 50.0, 61.0);
    for (int i : SKETCHED) {
      assertThat(profiles.approximateDistinct(i)).isEqualTo(6);
    }
    empty.merge(roundTrip(profiles));
    assertThat(empty.quantiles(ITEMS, new double[] {0.5})).containsExactly(39.0);
    assertThat(empty.approximateDistinct(ID)).isEqualTo(6);
  }

  @Test
  void theQuantileKIsTheSmallestWithinTheRelativeError() {
    for (double error : new double[] {0.001, 0.01, 0.05}) {
      int k = ColumnProfiles.Layout.of(SPEC, error, 1000).quantileK();
      assertThat(KllSketch.getNormalizedRankError(k, false)).isLessThanOrEqualTo(error);
      assertThat(KllSketch.getNormalizedRankError(k - 1, false)).isGreaterThan(error);
    }
    // Past KLL's range of k, the nearest end of it.
    assertThat(ColumnProfiles.Layout.of(SPEC, 1e-9, 1000).quantileK()).isEqualTo(KllSketch.MAX_K);
    assertThat(ColumnProfiles.Layout.of(SPEC, 0.9, 1000).quantileK()).isEqualTo(8);
  }

  /** Column {@code i} of every row as doubles (no nulls). */
  private static double[] values(List<Object[]> rows, int i) {
    return rows.stream().mapToDouble(row -> ((Number) row[i]).doubleValue()).toArray();
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  private static int distinct(List<Object[]> rows, int i) {
    Set<Object> seen = new HashSet<>();
    // A Timestamp hashes by its millisecond, which a thousand of these share: an Instant does not.
    rows.forEach(row -> seen.add(row[i] instanceof Timestamp t ? t.toInstant() : row[i]));
    return seen.size();
  }

  private static ColumnProfiles roundTrip(ColumnProfiles profiles) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(profiles);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ColumnProfiles) in.readObject();
    }
  }
}
