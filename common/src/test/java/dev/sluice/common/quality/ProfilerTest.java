package dev.sluice.common.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.run.ObservedMetrics;
import dev.sluice.common.settings.IngestSettings.ProfileSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;

class ProfilerTest extends SparkTestBase {
  private static final DatasetSpec SPEC = DatasetSpec.from(TestSpecs.load(TestSpecs.TINY).config());
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
            // The distinct count of a numeric column is approximate (HyperLogLog++): 5 for 6.
            "tiny,b1,tiny_raw,7,age,numeric,int,6,0,5,28.0,61.0,42.6666666667,"
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
  void theAggregatesOfAWriteGiveTheSameProfileAsReadingTheRows() {
    Profiler profiler = profiler(1000);
    Row totals = observedInAWrite(profiler);
    // Every column's values were counted in the write: the rows are not asked for.
    Supplier<Dataset<Row>> unread =
        () -> {
          throw new AssertionError("the profile read the rows");
        };

    assertThat(describe(profiler.profile(totals, unread, TARGET)))
        .isEqualTo(describe(profiler.profile(rows(), TARGET)));
  }

  @Test
  void columnsPastTheLimitInAWriteAreCountedFromTheRows() {
    Profiler profiler = profiler(2);
    Row totals = observedInAWrite(profiler);
    // workclass has 4 values, past the limit of 2: it is counted from the rows, the others not.
    List<String> profile = describe(profiler.profile(totals, this::rows, TARGET));

    assertThat(profile).isEqualTo(describe(profiler(1000).profile(rows(), TARGET)));
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

  /** The profile's aggregates observed on a write of the rows, in three tasks. */
  private Row observedInAWrite(Profiler profiler) {
    try (ObservedMetrics observed = ObservedMetrics.start(spark)) {
      observed
          .observe(rows().repartition(3), profiler.aggregates())
          .write()
          .format("noop")
          .mode(SaveMode.Overwrite)
          .save();
      return observed.await(60).orElseThrow();
    }
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
