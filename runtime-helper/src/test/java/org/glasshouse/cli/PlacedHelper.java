package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.glasshouse.Await;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;

/**
 * A helper started as a user starts it — the {@code glasshouse} launcher — placed in a chosen
 * cgroup before it runs, and the CLI against it: its commands run in this JVM ({@link #cli}, the
 * CLI's own entry {@link Main#run} over the helper's socket) and, a few of them, as a user runs
 * them, each a JVM of its own through the launcher ({@link #launched}). In a QEMU guest without KVM
 * a JVM start costs 20–50 s: one per command made the guest's run take most of an hour, for nothing
 * the scenarios check (the helper, the containers and their cgroups are the same either way). Every
 * wait is long.
 */
final class PlacedHelper implements AutoCloseable {

  /** Where the unified hierarchy is mounted. */
  static final Path CGROUP = Path.of("/sys/fs/cgroup");

  /** How long one CLI command or the helper's start may take (a TCG guest is slow). */
  static final Duration PATIENCE = Duration.ofMinutes(10);

  /** Where the helper runs. */
  enum Placement {
    /** The root cgroup: a machine without systemd, or a container host's init. */
    ROOT(""),
    /**
     * A service cgroup as systemd makes it with {@code Delegate=yes}: controllers enabled in every
     * ancestor, the helper the service's only process.
     */
    SERVICE("system.slice/glasshouse.service");

    final String path;

    Placement(String path) {
      this.path = path;
    }

    /** The cgroup's line in /proc/PID/cgroup: {@code 0::/system.slice/glasshouse.service}. */
    String procLine() {
      return "0::/" + path;
    }
  }

  /** The status and output of one CLI command. */
  record Result(int status, String out, String err) {
    @Override
    public String toString() {
      return "status " + status + "\nstdout:\n" + out + "stderr:\n" + err;
    }
  }

  private final Placement placement;
  private final Path repo;
  private final Path dir;
  private final Path socket;
  private final List<Path> made = new ArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<String> started = new CopyOnWriteArrayList<>();
  private Process helper;

  /**
   * Where this JVM's output went before any in-process command replaced it: the helper's log and
   * the commands' transcripts go there, never into a command's captured output.
   */
  private static final PrintStream CONSOLE = System.out;

  private PlacedHelper(Placement placement) throws IOException {
    this.placement = placement;
    this.repo = TestSupport.repo();
    this.dir = Files.createTempDirectory("glasshouse-test-v2-");
    this.socket = dir.resolve("helper.sock");
  }

  /** Starts the launcher's helper in {@code placement}; returns once it accepts clients. */
  static PlacedHelper start(Placement placement) throws Exception {
    PlacedHelper h = new PlacedHelper(placement);
    try {
      h.launch();
    } catch (Exception | AssertionError e) {
      h.close();
      throw e;
    }
    return h;
  }

  private void launch() throws Exception {
    Path cgroup = CGROUP.resolve(placement.path);
    if (placement == Placement.SERVICE) {
      // As systemd does for a delegated service: each ancestor enables the controllers for its
      // children; the service's own subtree_control is the service's business.
      enable(CGROUP);
      for (Path p = CGROUP, next; !p.equals(cgroup); p = next) {
        next = p.resolve(cgroup.getName(p.getNameCount()));
        if (!Files.isDirectory(next)) {
          Files.createDirectory(next);
          made.add(0, next);
        }
        if (!next.equals(cgroup)) {
          enable(next);
        }
      }
    }
    // The shell enters the cgroup and then becomes the launcher, which execs the helper's JVM:
    // every process of the helper is born in its cgroup.
    ProcessBuilder pb =
        new ProcessBuilder(
            "sh",
            "-c",
            "echo $$ >\"$0/cgroup.procs\" && exec \"$@\"",
            cgroup.toString(),
            repo.resolve("glasshouse").toString(),
            "helper",
            "--socket",
            socket.toString(),
            "--state-dir",
            dir.resolve("state").toString());
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long t0 = System.nanoTime();
    helper = pb.start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(helper.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  log.add(line);
                  CONSOLE.println("  [helper] " + line);
                  if (line.startsWith("glasshouse helper: state in")) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                // The helper is gone; its exit is noticed below.
              }
              ready.complete(null);
            },
            "placed-helper-log");
    reader.setDaemon(true);
    reader.start();
    ready.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertTrue(helper.isAlive(), "the helper died while starting:\n" + String.join("\n", log));
    CONSOLE.printf(
        "helper in %s up after %.1f s%n", placement.procLine(), (System.nanoTime() - t0) / 1e9);
    assertEquals(
        placement.procLine(),
        Files.readString(Path.of("/proc/" + helper.pid() + "/cgroup")).trim(),
        "the helper runs where it was placed");
  }

  private static void enable(Path cgroup) throws IOException {
    Files.writeString(cgroup.resolve("cgroup.subtree_control"), "+cpu +memory +pids");
  }

  /** The helper's socket (a client of the test's own connects there). */
  Path socket() {
    return socket;
  }

  /** What the helper logged to stderr so far. */
  List<String> log() {
    return List.copyOf(log);
  }

  /**
   * The banner HotSpot prints when its own process crashed (SIGSEGV in the JVM, not Glasshouse).
   */
  static final String JVM_CRASH =
      "# A fatal error has been detected by the Java Runtime Environment";

  /**
   * The CLI JVMs started in this JVM's run, and those that crashed, and the commands run in this
   * JVM: printed after each placement.
   */
  static final AtomicInteger JVM_STARTS = new AtomicInteger();

  static final AtomicInteger JVM_CRASHES = new AtomicInteger();

  static final AtomicInteger IN_PROCESS = new AtomicInteger();

  /**
   * Runs {@code glasshouse ARGS…} against this helper in this JVM, as {@link Main#main} runs it:
   * stdout and stderr through {@link TerminalText} for this terminal's charset, stdin empty (as a
   * launched command's, whose stdin is closed), the socket named by {@link
   * HelperClient#SOCKET_PROPERTY}; printed with its time and output. Its output must be ASCII where
   * the locale is not UTF-8, as a launched command's.
   */
  Result cli(String... args) throws Exception {
    IN_PROCESS.incrementAndGet();
    String charset = TerminalText.terminalCharset();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    // One command at a time: System.out and System.err are this JVM's, swapped for the call.
    Future<Integer> status;
    synchronized (PlacedHelper.class) {
      PrintStream sysOut = System.out;
      PrintStream sysErr = System.err;
      String property = System.getProperty(HelperClient.SOCKET_PROPERTY);
      // Never given back: an attached command's stdin thread may read System.in after the call.
      System.setIn(InputStream.nullInputStream());
      System.setOut(
          TerminalText.forTerminal(new PrintStream(out, true, StandardCharsets.UTF_8), charset));
      System.setErr(
          TerminalText.forTerminal(new PrintStream(err, true, StandardCharsets.UTF_8), charset));
      System.setProperty(HelperClient.SOCKET_PROPERTY, socket.toString());
      ExecutorService one =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "in-process-cli");
                t.setDaemon(true);
                return t;
              });
      try {
        status = one.submit(() -> Main.run(args));
        try {
          status.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          status.cancel(true);
          fail("glasshouse " + String.join(" ", args) + " did not finish within " + PATIENCE);
        }
      } finally {
        one.shutdown();
        System.out.flush();
        System.err.flush();
        System.setOut(sysOut);
        System.setErr(sysErr);
        if (property == null) {
          System.clearProperty(HelperClient.SOCKET_PROPERTY);
        } else {
          System.setProperty(HelperClient.SOCKET_PROPERTY, property);
        }
      }
    }
    Result r =
        new Result(
            status.get(),
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8));
    report(args, String.format("%.1f s in this JVM", (System.nanoTime() - t0) / 1e9), r);
    return r;
  }

  /**
   * Runs {@code glasshouse ARGS…} as a user does: the launcher, a JVM of its own, with {@code
   * GLASSHOUSE_SOCKET} naming this helper; printed with its time and output. A few commands go this
   * way so that the launcher's path (its class-data archive, the CLI's charset from the
   * environment, the exit status of a process) stays proven in the guest. A CLI JVM that crashed
   * (HotSpot's fatal error banner) fails the test, whatever the command: it is never run again.
   * Under multi-threaded TCG about one in 30–50 did (SIGSEGV in JIT-compiled code); test-v2.sh runs
   * QEMU's TCG single-threaded for that reason, and a crash here says the cause is back.
   */
  Result launched(String... args) throws Exception {
    JVM_STARTS.incrementAndGet();
    Result r = cliOnce(args);
    if ((r.out() + r.err()).contains(JVM_CRASH)) {
      JVM_CRASHES.incrementAndGet();
      fail(
          "glasshouse "
              + String.join(" ", args)
              + ": the CLI's JVM crashed (not a Glasshouse result; in the QEMU guest an emulation"
              + " fault, see the -accel in test-v2.sh); its hs_err file is copied to the reports:\n"
              + r);
    }
    return r;
  }

  private Result cliOnce(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(repo.resolve("glasshouse").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GLASSHOUSE_SOCKET", socket.toString());
    long t0 = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    if (!p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("glasshouse " + String.join(" ", args) + " did not finish within " + PATIENCE);
    }
    Result r = new Result(p.exitValue(), out, err.get());
    report(args, String.format("%.1f s, a JVM of its own", (System.nanoTime() - t0) / 1e9), r);
    return r;
  }

  /**
   * Prints the command with how it ran and its output; checks that the output suits the charset.
   */
  private static void report(String[] args, String how, Result r) {
    CONSOLE.printf(
        "$ glasshouse %s   (%s, status %d)%n%s%s",
        String.join(" ", args), how, r.status(), r.out(), r.err());
    if (!TerminalText.unicode(TerminalText.terminalCharset())) {
      // The guest has no UTF-8 locale, as a bare VM console: the CLI, started with this
      // environment, must print ASCII (the containers here print ASCII too).
      assertTrue(
          (r.out() + r.err()).chars().allMatch(c -> c < 0x80),
          "glasshouse "
              + String.join(" ", args)
              + " printed non-ASCII text to a terminal in "
              + TerminalText.terminalCharset()
              + ":\n"
              + r);
    }
  }

  /** {@link #cli} that must exit 0. */
  Result ok(String... args) throws Exception {
    Result r = cli(args);
    assertEquals(0, r.status(), "glasshouse " + String.join(" ", args) + ":\n" + r);
    return r;
  }

  /** {@link #launched} that must exit 0. */
  Result okLaunched(String... args) throws Exception {
    Result r = launched(args);
    assertEquals(0, r.status(), "glasshouse " + String.join(" ", args) + ":\n" + r);
    return r;
  }

  /**
   * {@code glasshouse run -d OPTIONS -- ARGV…}, which must succeed.
   *
   * @param options the run options, separated by spaces: {@code "--level 8 --cpus 0.5"}
   * @return the new container's id
   */
  String detached(String options, String... argv) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "-d"));
    args.addAll(List.of(options.split(" ")));
    args.add("--");
    args.addAll(List.of(argv));
    String id = ok(args.toArray(String[]::new)).out().trim();
    assertTrue(id.matches("[0-9a-f]{12}"), "run -d prints the id: " + id);
    started.add(id);
    return id;
  }

  /** Names a container a scenario started otherwise, for {@link #removeStarted}. */
  void started(String idOrName) {
    started.add(idOrName);
  }

  /**
   * {@code rm -f} of every container started through this helper that is still there: after a
   * failed scenario, so that the next one starts clean (its own failure stays the one reported).
   */
  void removeStarted() throws Exception {
    List<String> ids = List.copyOf(started);
    started.clear();
    List<String> left = new ArrayList<>();
    String ps = cli("ps", "-a").out();
    for (String id : ids) {
      if (ps.contains(id)) {
        left.add(id);
      }
    }
    if (!left.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("rm", "-f"));
      rm.addAll(left);
      cli(rm.toArray(String[]::new));
    }
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "<" + e + ">";
    }
  }

  /**
   * Polls {@code done} every 200 ms until it holds; fails naming {@code what} after {@code max}.
   */
  static void await(String what, Duration max, BooleanSupplier done) throws InterruptedException {
    // A poll, not a race: the kernel's counters change on their own time.
    Await.until(what, max, Duration.ofMillis(200), done);
  }

  /**
   * Stops the helper as systemd would (SIGTERM), waits for it, then removes the cgroups made for it
   * and its temp dir.
   */
  @Override
  public void close() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    if (helper != null && helper.isAlive()) {
      helper.destroy();
      if (!helper.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
        helper.destroyForcibly().waitFor();
        failures.add(new AssertionError("the helper did not stop on SIGTERM"));
      }
    }
    for (Path p : made) {
      try {
        Files.delete(p);
      } catch (IOException e) {
        failures.add(e);
      }
    }
    SafeDelete.deleteTree(dir);
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("stopping the helper: " + failures.get(0));
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }
}
