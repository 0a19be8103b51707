package org.glasshouse.helper.runtime.init;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.runtime.StepLog.StepException;

/**
 * The init stage: a fresh JVM the helper spawns (never a fork of the helper's JVM) in the
 * container's new namespaces. It connects back to the helper over the Unix socket named in its
 * environment, proves itself with the one-time token, receives its plan, performs the steps that
 * must happen inside the namespaces and finally execve()s the user's command, which thereby takes
 * over this process (PID 1 with a PID namespace).
 *
 * <p>Only the helper starts this; the two environment variables below reach no one else: the
 * command gets exactly the spec's env.
 */
public final class InitMain {

  /** Environment variable: path of the helper's init socket. */
  public static final String ENV_SOCKET = "GLASSHOUSE_INIT_SOCKET";

  /** Environment variable: the one-time token that identifies this init to the helper. */
  public static final String ENV_TOKEN = "GLASSHOUSE_INIT_TOKEN";

  /** Exit status when the init stage could not exec the command. */
  public static final int FAILED = 125;

  private InitMain() {}

  /** Runs the init stage; returns (exits) only when it failed. */
  public static void main(String[] args) {
    String socket = System.getenv(ENV_SOCKET);
    String token = System.getenv(ENV_TOKEN);
    if (socket == null || token == null) {
      System.err.println("glasshouse init: only the glasshouse helper starts the init stage");
      System.exit(2);
    }
    ObjectMapper json =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    ChannelLink link = null;
    try {
      SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      link = new ChannelLink(channel, json);
      Preload.ownClasses();
      new InitStage(new JnaSyscalls(), link.hello(token), link).run();
      link.failed("execve returned");
    } catch (StepException e) {
      link.failed(e.getMessage());
    } catch (Exception e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (link != null) {
        link.failed(m);
      } else {
        System.err.println("glasshouse init: " + m);
      }
    }
    System.exit(FAILED);
  }
}
