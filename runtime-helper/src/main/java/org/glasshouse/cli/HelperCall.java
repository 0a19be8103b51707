package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.glasshouse.helper.inspect.InspectionService;
import org.glasshouse.helper.inspect.Inspector;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.ProtocolException;

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
    String env = System.getenv("GLASSHOUSE_SOCKET");
    return Path.of(env == null || env.isBlank() ? "/run/glasshouse/helper.sock" : env);
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
    if (hostOnly && "root".equals(System.getProperty("user.name"))) {
      return new Local();
    }
    throw new IOException(
        "no helper is listening on " + sock + " (start it with: glasshouse helper)");
  }

  /** Protocol v1 over the Unix socket: hello first, then one request at a time. */
  final class Socket implements HelperCall {
    private final SocketChannel ch;
    private final JsonLines.LineReader reader;
    private long nextId = 1;

    Socket(Path path) throws Exception {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(path));
      reader = new JsonLines.LineReader(ch);
      ObjectNode hello = Json.object();
      hello.put("version", Messages.VERSION);
      hello.put("client", "glasshouse-cli");
      call(Op.HELLO, hello);
    }

    @Override
    public JsonNode call(Op op, ObjectNode fields) throws Exception {
      long id = nextId++;
      ByteBuffer out =
          ByteBuffer.wrap(
              JsonLines.encode(Messages.request(Json.MAPPER.valueToTree(id), op, fields)));
      while (out.hasRemaining()) {
        ch.write(out);
      }
      while (true) {
        JsonLines.Line line = reader.next();
        if (!(line instanceof JsonLines.Line.Text t)) {
          throw new IOException("the helper closed the connection");
        }
        Incoming in = Incoming.parse(t.text());
        if (in instanceof Incoming.Reply r && r.id() != null && r.id().asLong() == id) {
          if (r.ok()) {
            return r.result();
          }
          throw new ProtocolException(r.error().code(), r.error().message(), null);
        }
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
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
