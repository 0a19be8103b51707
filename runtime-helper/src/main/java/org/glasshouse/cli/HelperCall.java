package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.helper.inspect.Inspector;
import org.glasshouse.helper.server.InspectionService;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.Privilege;

/**
 * How the inspection commands ask for a result: over the helper's socket, or — for {@code host}
 * only, when no helper is running and we are root — by reading /proc in this process.
 */
interface HelperCall extends AutoCloseable {

  /** Sends {@code op} with {@code fields} and returns the reply's result. */
  JsonNode call(Op op, ObjectNode fields) throws Exception;

  @Override
  void close() throws IOException;

  /** The socket path: {@code GLASSHOUSE_SOCKET} or the default. */
  static Path socketPath() {
    return HelperClient.defaultSocket();
  }

  /**
   * Connects to the helper; when there is none and {@code hostOnly} is set (the command only needs
   * the host) and we are root, answers in-process instead.
   */
  static HelperCall open(boolean hostOnly) throws Exception {
    Path sock = socketPath();
    if (Files.exists(sock)) {
      return new Socket(sock);
    }
    if (hostOnly && Privilege.runningAsRoot()) {
      return new Local();
    }
    throw new IOException(
        "no helper is listening on " + sock + " (start it with: glasshouse helper)");
  }

  /** Protocol v1 over the Unix socket, through the shared {@link HelperClient}. */
  final class Socket implements HelperCall {
    private final HelperClient client;

    Socket(Path path) throws HelperException {
      client = HelperClient.connect(path, "glasshouse-cli", e -> {});
    }

    @Override
    public JsonNode call(Op op, ObjectNode fields) throws HelperException {
      return client.call(op, fields);
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** In-process answers for the host alone (no helper running). */
  final class Local implements HelperCall {
    private final InspectionService service = new InspectionService(null, Inspector.real());

    @Override
    public JsonNode call(Op op, ObjectNode f) {
      String target = f == null ? null : f.path("container").asText(null);
      return switch (op) {
        case INSPECT -> service.inspect(target, f.path("upper").asBoolean());
        case MOUNTS -> service.mounts(target, f.hasNonNull("diff") ? f.get("diff").asText() : null);
        case STATS -> service.stats(null);
        default -> throw new NoSuchElementException(op.wireName() + " needs the helper");
      };
    }

    @Override
    public void close() {
      service.close();
    }
  }
}
