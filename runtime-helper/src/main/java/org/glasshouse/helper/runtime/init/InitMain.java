package org.glasshouse.helper.runtime.init;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.plan.InitCodec;
import org.glasshouse.helper.plan.InitMessage;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

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

  /**
   * Runs the channel's codec once through a plan and a step entry, so that its classes are loaded
   * and its code interpreted once before the plan arrives, not on the start's critical path.
   */
  static void warmUp() throws java.io.IOException {
    StepEntry e =
        StepEntry.builder()
            .seq(1)
            .step("init")
            .stage("init")
            .call("prctl")
            .args("")
            .ok(true)
            .result("0")
            .durationNanos(1)
            .build();
    RunSpec spec =
        RunSpec.builder()
            .image("x")
            .argv(List.of("x"))
            .env(Map.of("A", "b"))
            .workdir("/")
            .cols(1)
            .rows(1)
            .level(0)
            .features(EnumSet.of(Feature.CHROOT))
            .limits(new Limits(1L << 30, 2L << 30, 1024, 0.5, 64))
            .user("0")
            .hostname("h")
            .name("n")
            .capAdd(List.of())
            .capDrop(List.of())
            .build();
    InitPlan plan =
        InitPlan.builder()
            .containerId("x")
            .spec(spec)
            .features(EnumSet.of(Feature.CHROOT))
            .rootfs("/")
            .hostname("h")
            .uid(0)
            .gid(0)
            .capabilities(List.of())
            .capLastCap(40)
            .workdir("/")
            .seccomp(new FilterPlan("warm-up", new long[] {0x0006_0000_7fff0000L}))
            .build();
    String m = InitCodec.encode(new InitMessage("plan", "t", plan, e, 1L, "m"));
    InitCodec.decode(m).plan().seccomp().instructions();
  }

  /**
   * The argument of a training run: it loads every class of the init stage and runs its warm-ups,
   * then exits 0 — the run that a class-data-sharing archive of the init is dumped from at exit (a
   * real init never exits: it becomes the command).
   */
  public static final String TRAIN = "--train";

  /** The training run: every class the init stage uses loaded, every warm-up run once. */
  static int train() {
    try {
      Preload.allClasses();
      new JnaSyscalls().warmUp();
      warmUp();
      // The channel's classes: a socket pair of the same kind the init connects with.
      SocketChannel.open(java.net.StandardProtocolFamily.UNIX).close();
      return 0;
    } catch (Exception | LinkageError e) {
      System.err.println("glasshouse init: training failed: " + e);
      return FAILED;
    }
  }

  /** Runs the init stage; returns (exits) only when it failed. */
  public static void main(String[] args) {
    if (args.length == 1 && args[0].equals(TRAIN)) {
      System.exit(train());
    }
    String socket = System.getenv(ENV_SOCKET);
    String token = System.getenv(ENV_TOKEN);
    if (socket == null || token == null) {
      System.err.println("glasshouse init: only the glasshouse helper starts the init stage");
      System.exit(2);
    }
    ChannelLink link = null;
    try {
      JnaSyscalls sys = new JnaSyscalls();
      // Read once, then gone from /proc/PID/environ: an exec's init shares its memory with the
      // command it spawns until that command's execve, and nothing should be found there.
      sys.scrubEnvironment("GLASSHOUSE_INIT_");
      // Everything slow happens before hello: a warm-pool init then waits fully prepared.
      Preload.ownClasses();
      sys.warmUp();
      warmUp();
      SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      link = new ChannelLink(channel);
      new InitStage(sys, link.hello(token), link).run();
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
