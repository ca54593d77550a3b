package dev.sluice.common.train.xgboost;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.Booster;
import ml.dmlc.xgboost4j.scala.XGBoost;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.params.CustomGeneralParam;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A fitted XGBoost model as a pipeline stage that saves and loads on Spark 4 through Sluice's own
 * writer and reader. xgboost4j-spark 3.1 is built against Spark 3.5's json4s 3: on Spark 4 (json4s
 * 4) its writer fails on its custom objective and metric parameters and its classification reader
 * fails on {@code Metadata.params}. The stage delegates scoring to the wrapped model; its files are
 * Spark's stage metadata (so {@code PipelineModel.load} finds this class and calls {@link #read()})
 * with the wrapped model's class, class count and set parameters added, and the booster in
 * XGBoost's own binary format.
 */
public final class XGBoostStage extends Model<XGBoostStage> implements MLWritable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String METADATA = "metadata";
  private static final String METADATA_FILE = "part-00000";
  private static final String BOOSTER = "booster.ubj";

  /** XGBoost's universal binary JSON: every float exactly as trained. */
  private static final String BOOSTER_FORMAT = "ubj";

  private static final String MODEL_CLASS = "modelClass";
  private static final String NUM_CLASSES = "numClasses";
  private static final String MODEL_PARAMS = "modelParamMap";

  private final String uid;
  private final Model<?> model;

  private XGBoostStage(String uid, Model<?> model) {
    this.uid = uid;
    this.model = model;
  }

  /**
   * {@code stage} wrapped when it is a fitted XGBoost model, else {@code stage} itself: the one
   * place a fitted XGBoost model becomes savable.
   */
  public static Transformer wrap(Transformer stage) {
    if (stage instanceof XGBoostModel<?> && stage instanceof Model<?> fitted) {
      return new XGBoostStage(fitted.uid(), fitted);
    }
    return stage;
  }

  /** The model {@code stage} scores with: the wrapped XGBoost model, or {@code stage} itself. */
  public static Transformer unwrap(Transformer stage) {
    return stage instanceof XGBoostStage xgboost ? xgboost.model : stage;
  }

  /** The wrapped XGBoost model (an XGBoostClassificationModel or XGBoostRegressionModel). */
  public Model<?> model() {
    return model;
  }

  /**
   * XGBoost's total gain of each feature's splits over the sum for all features, as MLlib's trees
   * normalise theirs. Its scores name feature {@code i} "f" + i and leave out features never split
   * on; a categorical feature's splits are named by feature and category set ("f2:{0,3,4}"), one
   * score per set, summed here into the feature's.
   */
  public Vector featureImportances() {
    Booster booster = ((XGBoostModel<?>) model).nativeBooster();
    double[] values;
    Map<String, Object> scores;
    try {
      values = new double[(int) booster.getNumFeature()];
      scores =
          scala.jdk.javaapi.CollectionConverters.asJava(
              booster.getScore((String) null, "total_gain"));
    } catch (XGBoostError e) {
      throw new IllegalStateException("Cannot read the XGBoost model's feature importances", e);
    }
    double total = scores.values().stream().mapToDouble(v -> (Double) v).sum();
    scores.forEach(
        (feature, gain) -> {
          if (total > 0) {
            values[featureIndex(feature)] += (Double) gain / total;
          }
        });
    return Vectors.dense(values);
  }

  /** The index in "f12" or "f12:{0,3}". */
  private static int featureIndex(String name) {
    int end = 1;
    while (end < name.length() && Character.isDigit(name.charAt(end))) {
      end++;
    }
    return Integer.parseInt(name.substring(1, end));
  }

  @Override
  public String uid() {
    return uid;
  }

  /**
   * Scores dense feature vectors: training densifies sparse vectors (their absent entries are real
   * zeros, as {@code missing} is NaN), and scoring must see the same values, so the assembler's
   * sparse vectors are made dense first, their attributes kept.
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    String features = (String) model.getOrDefault(model.getParam("featuresCol"));
    Dataset<Row> rows = dataset.toDF();
    Column dense =
        array_to_vector(vector_to_array(col(features), "float64"))
            .as(features, rows.schema().apply(features).metadata());
    return model.transform(rows.withColumn(features, dense));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return model.transformSchema(schema);
  }

  @Override
  public XGBoostStage copy(ParamMap extra) {
    return new XGBoostStage(uid, (Model<?>) model.copy(extra));
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** The reader {@code PipelineModel.load} calls for this stage's class. */
  public static MLReader<XGBoostStage> read() {
    return new Reader();
  }

  public static XGBoostStage load(String path) {
    return read().load(path);
  }

  private static FileSystem fileSystem(SparkSession spark, String path) throws IOException {
    return new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
  }

  private static final class Writer extends MLWriter {
    private final XGBoostStage stage;

    Writer(XGBoostStage stage) {
      this.stage = stage;
    }

    /**
     * Spark's stage metadata fields (class, uid, timestamp, sparkVersion and this stage's own empty
     * parameter maps), then the wrapped model's. Its custom objective and metric are left out: only
     * training reads them, and they are what XGBoost cannot encode on Spark 4.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void saveImpl(String path) {
      Model<?> model = stage.model;
      ObjectNode metadata = MAPPER.createObjectNode();
      metadata.put("class", XGBoostStage.class.getName());
      metadata.put("timestamp", System.currentTimeMillis());
      metadata.put("sparkVersion", sparkSession().version());
      metadata.put("uid", stage.uid);
      metadata.putObject("paramMap");
      metadata.putObject("defaultParamMap");
      metadata.put(MODEL_CLASS, model.getClass().getName());
      if (model instanceof XGBoostClassificationModel classifier) {
        metadata.put(NUM_CLASSES, classifier.numClasses());
      }
      ObjectNode params = metadata.putObject(MODEL_PARAMS);
      try {
        for (Param param : model.params()) {
          if (model.isSet(param) && !(param instanceof CustomGeneralParam<?>)) {
            params.set(param.name(), MAPPER.readTree(param.jsonEncode(model.getOrDefault(param))));
          }
        }
        FileSystem fs = fileSystem(sparkSession(), path);
        try (OutputStream out = fs.create(new Path(new Path(path, METADATA), METADATA_FILE))) {
          out.write(MAPPER.writeValueAsString(metadata).getBytes(StandardCharsets.UTF_8));
          out.write('\n');
        }
        try (OutputStream out = fs.create(new Path(path, BOOSTER))) {
          ((XGBoostModel<?>) model).nativeBooster().saveModel(out, BOOSTER_FORMAT);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot save the XGBoost model to " + path, e);
      } catch (XGBoostError e) {
        throw new IllegalStateException("Cannot save the XGBoost booster to " + path, e);
      }
    }
  }

  private static final class Reader extends MLReader<XGBoostStage> {
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public XGBoostStage load(String path) {
      try {
        JsonNode metadata =
            MAPPER.readTree(sparkSession().read().text(path + "/" + METADATA).first().getString(0));
        String uid = metadata.get("uid").asText();
        String modelClass = metadata.get(MODEL_CLASS).asText();
        Booster booster;
        try (InputStream in = fileSystem(sparkSession(), path).open(new Path(path, BOOSTER))) {
          booster = XGBoost.loadModel(in);
        }
        Model<?> model;
        if (modelClass.equals(XGBoostClassificationModel.class.getName())) {
          model =
              new XGBoostClassificationModel(
                  uid, metadata.get(NUM_CLASSES).asInt(), booster, Option.empty());
        } else if (modelClass.equals(XGBoostRegressionModel.class.getName())) {
          model = new XGBoostRegressionModel(uid, booster, Option.empty());
        } else {
          throw new IllegalStateException(
              "Cannot load the XGBoost model at "
                  + path
                  + ": its class "
                  + modelClass
                  + " is not one Sluice trains");
        }
        ParamMap params = new ParamMap();
        Iterator<Map.Entry<String, JsonNode>> fields = metadata.get(MODEL_PARAMS).fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          Param param = model.getParam(field.getKey());
          params.put(param, param.jsonDecode(MAPPER.writeValueAsString(field.getValue())));
        }
        return new XGBoostStage(uid, (Model<?>) model.copy(params));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("Cannot read the XGBoost model's metadata at " + path, e);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot load the XGBoost model at " + path, e);
      } catch (XGBoostError e) {
        throw new IllegalStateException("Cannot load the XGBoost booster at " + path, e);
      }
    }
  }
}
