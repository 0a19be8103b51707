package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.helper.server.HelperServer;
import org.glasshouse.helper.server.InspectionOps;
import org.glasshouse.helper.server.ServerConfig;
import org.glasshouse.helper.server.UserDb;
import org.glasshouse.protocol.Incoming;

/**
 * A real helper server in the test's JVM with the inspection ops installed, on a socket under a
 * test's temporary dir, serving a given runtime. Its log lines are kept for assertions.
 */
public final class InspectingHelper implements AutoCloseable {

  private final HelperServer server;
  private final InspectionOps ops;
  private final List<String> log = new CopyOnWriteArrayList<>();

  private InspectingHelper(Path dir, ContainerRuntime runtime) throws IOException {
    int gid = (Integer) Files.getAttribute(dir, "unix:gid");
    server =
        new HelperServer(
            new ServerConfig(
                dir.resolve("run/helper.sock"), gid, null, ServerConfig.DEFAULT_OUTBOX_BYTES),
            runtime,
            List::of,
            new UserDb(),
            log::add);
    ops = InspectionOps.install(server, log::add);
  }

  /** Starts the server on {@code dir/run/helper.sock}. */
  public static InspectingHelper start(Path dir, ContainerRuntime runtime) throws IOException {
    InspectingHelper h = new InspectingHelper(dir, runtime);
    h.server.start();
    return h;
  }

  public Path socket() {
    return server.socket();
  }

  /** What the server and the inspection ops logged so far. */
  public List<String> log() {
    return log;
  }

  @Override
  public void close() throws Exception {
    try {
      ops.close();
    } finally {
      server.close();
    }
  }

  /** A client listener that queues each event type apart, for tests that wait on one kind. */
  public static final class EventQueues implements HelperClient.Listener {
    private final ConcurrentHashMap<String, BlockingQueue<Incoming.Event>> queues =
        new ConcurrentHashMap<>();

    /** The queue of events of {@code type}, in arrival order. */
    BlockingQueue<Incoming.Event> of(String type) {
      return queues.computeIfAbsent(type, t -> new LinkedBlockingQueue<>());
    }

    @Override
    public void event(Incoming.Event e) {
      of(e.type()).add(e);
    }

    @Override
    public void closed(String reason) {}
  }
}
