import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts the rapaio Java kernel as its MainApp does, with one fix: the kernel starts its socket
 * threads before it creates its message-handler map, so a kernel_info_request arriving in between
 * (likely on a loaded machine) hits a null map and kills the shell thread, and nbconvert then waits
 * out its whole startup timeout. An empty map set first makes such a request "unhandled" instead,
 * and the client's next request is answered.
 */
public final class SluiceKernel {
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: SluiceKernel <connection file>");
    }
    // logging.properties comes from the first classpath entry: ours, at INFO (the kernel's FINEST
    // breaks Spark's code generation).
    LogManager.getLogManager()
        .readConfiguration(SluiceKernel.class.getClassLoader().getResourceAsStream("logging.properties"));
    ConnectionProperties properties =
        Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
    Channels channels = new Channels(properties);
    Field handlers = Channels.class.getDeclaredField("handlers");
    handlers.setAccessible(true);
    handlers.set(channels, new HashMap<>());
    channels.connect(MainApp.kernel);
    channels.joinUntilClose();
  }
}
