package dev.sluice.common.parse;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop configuration that travels with a task: Hadoop's {@code Configuration} is {@code
 * Writable}, not {@code Serializable}, so it is written with its own {@code write}, as Spark's file
 * sources ship theirs.
 */
final class HadoopConfiguration implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Configuration value;

  HadoopConfiguration(Configuration value) {
    this.value = value;
  }

  Configuration value() {
    return value;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    value.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    value = new Configuration(false);
    value.readFields(in);
  }
}
