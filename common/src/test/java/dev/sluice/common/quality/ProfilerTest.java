package dev.sluice.common.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.settings.IngestSettings.ProfileSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class ProfilerTest extends SparkTestBase {
  private static final DatasetSpec SPEC =
      DatasetSpecReader.read(TestSpecs.load(TestSpecs.TINY).config());
  private static final Profiler.Target TARGET =
      new Profiler.Target("b1", "tiny_raw", 7L, Timestamp.valueOf("2026-01-02 03:04:05"));

  /**
   * Six rows. workclass: Private twice, a null, and three values once each, whose order differs
   * between Java's strings (UTF-16: U+1F600 before U+FF61) and Spark's (UTF-8 bytes: U+FF61 first).
   */
  private Dataset<Row> rows() {
    return spark.createDataFrame(
        List.of(
            RowFactory.create(39, "Private", 40.0, "Male", "<=50K"),
            RowFactory.create(50, "Private", null, "Female", ">50K"),
            RowFactory.create(28, null, 20.0, "Male", "<=50K"),
            RowFactory.create(61, "Self-emp", 40.0, "Male", "<=50K"),
            RowFactory.create(45, "\uFF61", 35.0, "Female", ">50K"),
            RowFactory.create(33, "\uD83D\uDE00", 50.0, "Female", "<=50K")),
        SPEC.dataSchema());
  }

  private static Profiler profiler(int valuesCountedInWrite) {
    return new Profiler(SPEC, new ProfileSettings(3, List.of(0.5), 0.001, valuesCountedInWrite));
  }

  @Test
  void topValuesCountedInTheAggregateAreExactAndInSparksOrder() {
    List<String> profile = describe(profiler(1000).profile(rows(), TARGET));

    assertThat(profile)
        .containsExactly(
            // A numeric column's distinct count is an HLL sketch's estimate, exact for so few.
            "tiny,b1,tiny_raw,7,age,numeric,int,6,0,6,28.0,61.0,42.6666666667,"
                + rounded(stddevOfAges())
                + ",[[0.5,39.0]],null,2026-01-02 03:04:05.0",
            "tiny,b1,tiny_raw,7,workclass,categorical,string,6,1,4,null,null,null,null,null,"
                + "[[Private,2], [Self-emp,1], [\uFF61,1]],2026-01-02 03:04:05.0",
            // Hours 40, 20, 40, 35, 50: mean 37, squares 9 + 289 + 9 + 4 + 169 = 480.
            "tiny,b1,tiny_raw,7,hours,numeric,double,6,1,4,20.0,50.0,37.0,"
                + rounded(Math.sqrt(480.0 / 4))
                + ",[[0.5,40.0]],null,2026-01-02 03:04:05.0",
            "tiny,b1,tiny_raw,7,sex,categorical,string,6,0,2,null,null,null,null,null,"
                + "[[Female,3], [Male,3]],2026-01-02 03:04:05.0",
            "tiny,b1,tiny_raw,7,income,label,string,6,0,2,null,null,null,null,null,"
                + "[[<=50K,4], [>50K,2]],2026-01-02 03:04:05.0");
  }

  @Test
  void columnsPastTheLimitAreCountedByAGroupedQueryWithTheSameResult() {
    // A limit of 1 value: every column with top values has more, so all go to the grouped count.
    assertThat(describe(profiler(1).profile(rows(), TARGET)))
        .isEqualTo(describe(profiler(1000).profile(rows(), TARGET)));
  }

  @Test
  void theProfilesOfAWritesTasksGiveTheSameProfileAsReadingTheRows() {
    Profiler profiler = profiler(1000);
    ColumnProfiles profiles = profilesOfTasks(profiler);
    // Every column's values were counted by the tasks: the rows are not asked for.
    Supplier<Dataset<Row>> unread =
        () -> {
          throw new AssertionError("the profile read the rows");
        };

    assertThat(profiles.rows()).isEqualTo(6);
    assertThat(describe(profiler.profile(profiles, unread, TARGET)))
        .isEqualTo(describe(profiler.profile(rows(), TARGET)));
  }

  @Test
  void columnsPastTheLimitInAWriteAreCountedFromTheRows() {
    Profiler profiler = profiler(2);
    // workclass has 4 values, past the limit of 2: it is counted from the rows, the others not.
    List<String> profile =
        describe(profiler.profile(profilesOfTasks(profiler), this::rows, TARGET));

    assertThat(profile).isEqualTo(describe(profiler(1000).profile(rows(), TARGET)));
  }

  /**
   * Statistics kept in Java give what Spark's aggregates give over the same rows in one task, and
   * the sketches' answers are within their bounds of the exact ones: 3,000 rows, a tenth of them
   * null, past the KLL sketch's k (269 for relative error 0.01) and the HLL sketch's exact range.
   */
  @Test
  void statisticsMatchSparksAggregatesAndTheSketchesStayWithinTheirBounds() {
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      rows.add(
          RowFactory.create(
              random.nextInt(100),
              random.nextInt(10) == 0 ? null : "w" + random.nextInt(30),
              random.nextInt(10) == 0 ? null : random.nextGaussian() * 1e4,
              random.nextBoolean() ? "Male" : "Female",
              "<=50K"));
    }
    Dataset<Row> frame = spark.createDataFrame(rows, SPEC.dataSchema()).coalesce(1);
    Profiler profiler =
        new Profiler(SPEC, new ProfileSettings(3, List.of(0.05, 0.5, 0.95), 0.01, 1000));
    ColumnProfiles profiles = profiler.profiles(frame);

    Row spark =
        frame
            .selectExpr(
                "hll_sketch_estimate(hll_sketch_agg(age, 12))",
                "min(cast(hours as double))",
                "max(cast(hours as double))",
                "avg(cast(hours as double))",
                "stddev_samp(cast(hours as double))",
                "count(hours)")
            .first();
    // 100 ages: within the HLL sketch's exact range, and Spark's own HLL sketch of them agrees.
    assertThat(profiles.approximateDistinct(0))
        .isEqualTo(distinct(nonNull(rows, 0)))
        .isEqualTo(spark.getLong(0));
    assertThat((double) profiles.approximateDistinct(2))
        .isCloseTo(distinct(nonNull(rows, 2)), withinPercentage(100 * SketchBounds.DISTINCT_ERROR));
    assertThat(profiles.min(2)).isEqualTo(spark.getDouble(1));
    assertThat(profiles.max(2)).isEqualTo(spark.getDouble(2));
    assertThat(profiles.mean(2)).isEqualTo(spark.getDouble(3));
    assertThat(profiles.stddev(2)).isEqualTo(spark.getDouble(4));
    assertThat(profiles.nonNull(2)).isEqualTo(spark.getLong(5));
    double[] probabilities = {0.05, 0.5, 0.95};
    double rankError = SketchBounds.rankError(profiler.layout());
    for (int column : new int[] {0, 2}) {
      SketchBounds.assertQuantiles(
          nonNull(rows, column),
          probabilities,
          profiles.quantiles(column, probabilities),
          rankError);
    }
  }

  private static long distinct(double[] values) {
    return Arrays.stream(values).distinct().count();
  }

  /** Column {@code i}'s non-null values as doubles. */
  private static double[] nonNull(List<Row> rows, int i) {
    return rows.stream()
        .filter(row -> !row.isNullAt(i))
        .mapToDouble(row -> ((Number) row.get(i)).doubleValue())
        .toArray();
  }

  @Test
  void anEmptyBatchHasNoTopValuesEitherWay() {
    Dataset<Row> empty = spark.createDataFrame(List.of(), SPEC.dataSchema());
    List<String> counted = describe(profiler(1000).profile(empty, TARGET));

    assertThat(counted)
        .contains(
            "tiny,b1,tiny_raw,7,workclass,categorical,string,0,0,0,null,null,null,null,null,[],"
                + "2026-01-02 03:04:05.0");
    assertThat(describe(profiler(1).profile(empty, TARGET))).isEqualTo(counted);
  }

  /**
   * The rows' profiles as a write's tasks keep them: three tasks, each adding its partition's to an
   * accumulator once, merged by the driver.
   */
  private ColumnProfiles profilesOfTasks(Profiler profiler) {
    ProfileAccumulator accumulator =
        ProfileAccumulator.register(spark.sparkContext(), profiler.layout());
    ColumnProfiles.Layout layout = profiler.layout();
    rows()
        .repartition(3)
        .foreachPartition(
            (ForeachPartitionFunction<Row>)
                partition -> {
                  ColumnProfiles profiles = layout.empty();
                  while (partition.hasNext()) {
                    profiles.add(partition.next());
                  }
                  accumulator.add(profiles);
                });
    return accumulator.value();
  }

  /** Sample standard deviation of the six ages, mean 256 / 6. */
  private static double stddevOfAges() {
    double mean = 256.0 / 6;
    double squares = 0;
    for (int age : new int[] {39, 50, 28, 61, 45, 33}) {
      squares += (age - mean) * (age - mean);
    }
    return Math.sqrt(squares / 5);
  }

  /**
   * A double to 12 significant digits: sums of doubles merged in another order (other tasks) differ
   * in their last bits.
   */
  private static double rounded(double x) {
    return new BigDecimal(x).round(new MathContext(12)).doubleValue();
  }

  /** Each row as text, arrays of rows spelled out, doubles {@link #rounded}. */
  private static List<String> describe(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row row : rows) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        Object value = row.get(i);
        fields.add(
            value instanceof Object[] array
                ? Arrays.toString(array)
                : String.valueOf(value instanceof Double x ? rounded(x) : value));
      }
      out.add(String.join(",", fields));
    }
    return out;
  }
}
