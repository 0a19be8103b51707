package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.glasshouse.Await;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.server.TestHelpers;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native {@code run} client (target/glasshouse-run, issue 16) against a helper of the test's
 * own (the process runtime: the command runs as a plain process), side by side with the JVM CLI:
 * the same request on the wire (captured by a proxy in front of the helper), the same stdout bytes,
 * stderr text and status for every outcome of an attached run; and its fallback to the JVM (through
 * a stand-in launcher that logs being called) for everything it does not handle, before it has sent
 * anything.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class NativeRunTest {

  static final Path NATIVE = Path.of("target", "glasshouse-run").toAbsolutePath();

  private TestHelpers.Running helper;
  private Path socket;
  private Path launcher;
  private Path calls;
  private Proxy proxy;

  /** What a process did: status, the stdout bytes, the stderr text. */
  record Ran(int status, byte[] out, String err) {
    String text() {
      return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "status "
          + status
          + ", stdout "
          + out.length
          + " bytes: "
          + text()
          + ", stderr: "
          + err;
    }
  }

  @BeforeEach
  void start(@TempDir Path tmp) throws Exception {
    assertTrue(Files.isExecutable(NATIVE), NATIVE + " is built in the compile phase");
    helper = TestHelpers.start();
    proxy = new Proxy(tmp.resolve("proxy.sock"), helper.socket());
    socket = proxy.path;
    calls = tmp.resolve("calls");
    launcher = NativeClients.launcher(tmp, calls);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    helper.close();
  }

  private Ran exec(List<String> cmd, Map<String, String> env, byte[] stdin) throws Exception {
    Process p = NativeClients.process(cmd, socket, env).start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> all(p.getErrorStream()));
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> all(p.getInputStream()));
    try {
      p.getOutputStream().write(stdin);
      p.getOutputStream().close();
    } catch (IOException e) {
      // It did not read it all (a command that ignores stdin): the same for both.
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command ended within 120 s: " + cmd);
    return new Ran(p.exitValue(), out.get(), new String(err.get(), StandardCharsets.UTF_8));
  }

  private static byte[] all(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return ("<" + e + ">").getBytes(StandardCharsets.UTF_8);
    }
  }

  private Ran jvm(Map<String, String> env, byte[] stdin, List<String> args) throws Exception {
    List<String> a = new ArrayList<>(List.of("run"));
    a.addAll(args);
    return exec(NativeClients.jvm(a), env, stdin);
  }

  /** The native client, as the launcher runs it: {@code glasshouse-run LAUNCHER ARGS…}. */
  private Ran nativeRun(Map<String, String> env, byte[] stdin, List<String> args) throws Exception {
    return exec(NativeClients.client(NATIVE, launcher, args), env, stdin);
  }

  private List<String> calls() throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  /** Native, then JVM: the same result, the native one without the launcher. */
  private Ran same(Map<String, String> env, byte[] stdin, String... args) throws Exception {
    List<String> a = List.of(args);
    Ran n = nativeRun(env, stdin, a);
    assertEquals(List.of(), calls(), "handled natively: " + a);
    Ran j = jvm(env, stdin, a);
    assertSame(j, n, a);
    return n;
  }

  private static void assertSame(Ran jvm, Ran nat, Object what) {
    assertEquals(jvm.status(), nat.status(), what + ": status; jvm " + jvm + "; native " + nat);
    assertEquals(jvm.err(), nat.err(), what + ": stderr");
    assertArrayEquals(jvm.out(), nat.out(), what + ": stdout; jvm " + jvm + "; native " + nat);
  }

  private JsonNode containers() throws Exception {
    try (HelperClient c = HelperClient.connect(helper.socket(), "native-run-test", e -> {})) {
      return c.call(Op.PS, JsonText.object().put("all", true)).get("containers");
    }
  }

  private void remove(String name) throws Exception {
    try (HelperClient c = HelperClient.connect(helper.socket(), "native-run-test", e -> {})) {
      c.call(Op.REMOVE, JsonText.object().put("container", name).put("force", true));
    }
  }

  private boolean listed(String name) throws Exception {
    for (JsonNode c : containers()) {
      if (name.equals(c.path("name").asText())) {
        return true;
      }
    }
    return false;
  }

  private static final byte[] NONE = new byte[0];

  @Test
  void statusesAndTextOfAnAttachedRunAreTheJvms() throws Exception {
    assertEquals(0, same(Map.of(), NONE, "--", "true").status());
    assertEquals(3, same(Map.of(), NONE, "--", "sh", "-c", "exit 3").status());
    Ran both = same(Map.of(), NONE, "sh", "-c", "echo out; echo err >&2; exit 4");
    assertEquals(
        new Ran(4, "out\n".getBytes(StandardCharsets.UTF_8), "err\n").toString(), both.toString());
    // Killed by a signal: 128 + N.
    assertEquals(137, same(Map.of(), NONE, "--", "sh", "-c", "kill -9 $$").status());
    // A start that fails (the command does not exist): the helper's sentence, the step line, 125.
    Ran failed = same(Map.of(), NONE, "--", "/no/such/command");
    assertEquals(125, failed.status());
    assertTrue(
        failed.err().startsWith("glasshouse run: cannot start /no/such/command"), failed.err());
    assertTrue(
        failed.err().contains("\n  step spawn: execve(/no/such/command) = -1 ENOENT"),
        failed.err());
    // A level that refuses an option: bad_request, 1.
    Ran refused = same(Map.of(), NONE, "-l", "3", "--network", "bridge", "--", "true");
    assertEquals(1, refused.status());
    assertTrue(refused.err().startsWith("glasshouse run: field 'spec.network'"), refused.err());
    // A message with what Printable escapes (the command's name is in it).
    Ran escaped = same(Map.of(), NONE, "--", "/no/such/\u00e9\tcommand");
    assertTrue(escaped.err().contains("/no/such/\u00e9\\tcommand"), escaped.err());
  }

  @Test
  void binaryOutputOnBothStreamsPastTheEventSizeIsRelayedByteForByte() throws Exception {
    // NUL, invalid UTF-8 (0xff, 0xfe, a lone continuation byte), ~150 KiB on each stream.
    String script =
        "i=0; while [ $i -lt 12000 ]; do printf '\\000\\377\\376\\200x%d\\n' $i;"
            + " printf 'e\\000\\300%d\\n' $i >&2; i=$((i+1)); done";
    Ran r = same(Map.of(), NONE, "--", "sh", "-c", script);
    assertEquals(0, r.status());
    assertTrue(r.out().length > 64 * 1024, r.out().length + " bytes");
    assertEquals(0, r.out()[0]);
    assertEquals((byte) 0xff, r.out()[1]);
  }

  @Test
  void stdinIsForwardedWithItsEnd() throws Exception {
    byte[] data = new byte[300 * 1024];
    new Random(16).nextBytes(data);
    Ran r = same(Map.of(), data, "--", "cat");
    assertEquals(0, r.status());
    assertArrayEquals(data, r.out());
    // Its end reaches the command: wc counts and exits.
    Ran wc = same(Map.of(), "a b\nc\n".getBytes(StandardCharsets.UTF_8), "--", "wc", "-l");
    assertEquals("2", wc.text().trim());
    // No stdin at all (at its end at once): the command sees the end too.
    assertEquals(0, same(Map.of(), NONE, "--", "cat").status());
  }

  @Test
  void theRunRequestOnTheWireIsTheJvms() throws Exception {
    List<List<String>> cases =
        List.of(
            List.of("--", "true"),
            List.of("-l", "0", "--", "sh", "-c", "echo \"\u00e9\\\" \t\u0001x"),
            List.of(
                "--level=2",
                "--name",
                "req",
                "--rm",
                "-e",
                "A=1=2",
                "-e",
                "FROM_HERE",
                "-w",
                "/tmp",
                "-h",
                "box",
                "-u",
                "0:0",
                "-m",
                "64m",
                "--memory-swap=128MB",
                "-c",
                "512",
                "--cpus",
                "0.50",
                "--pids-max",
                "20",
                "--memory-reservation",
                "32k",
                "--memory-swappiness",
                "10",
                "--kernel-memory",
                "16m",
                "--oom-kill-disable",
                "--oom-group",
                "--cap-add",
                "NET_ADMIN",
                "--cap-add",
                "SYS_TIME",
                "--cap-drop",
                "CHOWN",
                "--net",
                "none",
                "true"),
            List.of("-i", "busybox", "-l", "1", "--pids-limit", "7", "--", "echo", "-n"));
    for (List<String> args : cases) {
      Map<String, String> env = Map.of("FROM_HERE", "v\u00e9");
      proxy.lines.clear();
      Ran n = nativeRun(env, NONE, args);
      List<String> nativeLines = List.copyOf(proxy.lines);
      if (args.contains("req")) {
        Await.until(
            "req removed",
            Duration.ofSeconds(10),
            Duration.ofMillis(20),
            () -> !listedQuietly("req"));
      }
      proxy.lines.clear();
      Ran j = jvm(env, NONE, args);
      List<String> jvmLines = List.copyOf(proxy.lines);
      assertSame(j, n, args);
      assertEquals(List.of(), calls(), "handled natively: " + args);
      sameRequest(request(jvmLines), request(nativeLines), "the run request of " + args);
      sameRequest(
          expectedRequest(args, env), request(nativeLines), "RunCommand's request: " + args);
    }
  }

  private static long runs(List<String> lines) {
    return lines.stream().filter(l -> l.contains("\"op\":\"run\"")).count();
  }

  private boolean listedQuietly(String name) {
    try {
      return listed(name);
    } catch (Exception e) {
      return true;
    }
  }

  /**
   * The same request: the same bytes, except that the JVM's env is a {@code Map.copyOf}, whose
   * order of two or more entries changes from one JVM to the next (the helper reads a map): then
   * the same JSON, and the same bytes once the env is taken out.
   */
  private static void sameRequest(String expected, String actual, String what) {
    JsonNode e = JsonText.parse(expected);
    JsonNode a = JsonText.parse(actual);
    assertEquals(e, a, what);
    if (e.path("spec").path("env").size() > 1) {
      ((ObjectNode) e.get("spec")).remove("env");
      ((ObjectNode) a.get("spec")).remove("env");
      assertEquals(JsonText.write(e), JsonText.write(a), what);
    } else {
      assertEquals(expected, actual, what);
    }
  }

  /** The run request among what a client sent. */
  private static String request(List<String> lines) {
    return lines.stream()
        .filter(l -> l.contains("\"op\":\"run\""))
        .findFirst()
        .orElse("none: " + lines);
  }

  /** The line RunCommand writes for these arguments (its fields, HelperClient's framing). */
  private static String expectedRequest(List<String> args, Map<String, String> env)
      throws Exception {
    RunOptions o = RunOptions.parse(args, env);
    ObjectNode fields = JsonText.object().put("attach", true).put("steps", false);
    fields.set("spec", RunCommand.specTree(o.spec()));
    byte[] line = JsonLines.encode(Messages.request(LongNode.valueOf(2), Op.RUN, fields));
    return new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
  }

  /** The option parser alone (the client's test hook prints the request it would send). */
  private Ran parsed(List<String> args) throws Exception {
    return parsed(args, "C.UTF-8");
  }

  private Ran parsed(List<String> args, String lang) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(NATIVE.toString(), launcher.toString()));
    cmd.addAll(args);
    return exec(cmd, Map.of("GLASSHOUSE_RUN_ARGS_TEST", "1", "X", "y", "LANG", lang), NONE);
  }

  /**
   * A non-ASCII argument reads as the same bytes in the JVM only under a UTF-8 locale (elsewhere
   * the JVM decodes it in the locale's charset): there it is the client's, elsewhere the JVM's.
   */
  @Test
  void nonAsciiArgumentsAreTheClientsOnlyUnderAUtf8Locale() throws Exception {
    List<String> args = List.of("--name", "caf\u00e9", "--", "echo", "\ud83d\ude00");
    Ran utf8 = parsed(args, "C.UTF-8");
    assertEquals(0, utf8.status(), utf8.toString());
    sameRequest(expectedRequest(args, Map.of()), utf8.text().strip(), "UTF-8");
    assertEquals(3, parsed(args, "C").status());
    // ASCII is the same bytes in every locale: the client's under C too.
    assertEquals(0, parsed(List.of("--", "true"), "C").status());
    // Under C its own text is ASCII, as the JVM's: a refused option, end to end.
    Map<String, String> c = Map.of("LANG", "C");
    List<String> refused = List.of("-l", "3", "--network", "bridge", "--", "true");
    Ran n = nativeRun(c, NONE, refused);
    assertEquals(List.of(), calls());
    assertSame(jvm(c, NONE, refused), n, "LANG=C");
  }

  @Test
  void everyValueItConvertsIsConvertedAsTheJvmConvertsIt() throws Exception {
    List<List<String>> cases = new ArrayList<>();
    for (String cpus :
        List.of(
            "0.001", "0.5", "0.50", "1", "1.0", "1.25", "3.10", "0012.5", "999.999", "1024",
            "7.007")) {
      cases.add(List.of("--cpus", cpus, "true"));
    }
    Random r = new Random(7);
    for (int i = 0; i < 40; i++) {
      String ip = Integer.toString(r.nextInt(1024));
      String frac = Integer.toString(r.nextInt(1000));
      cases.add(List.of("--cpus=" + ip + "." + frac, "true"));
    }
    for (String size :
        List.of("1", "64m", "64M", "64mb", "1g", "1GB", "4096g", "512k", "7b", "007m")) {
      cases.add(List.of("-m", size, "--memory-swap", size, "--kernel-memory", size, "true"));
    }
    for (String n : List.of("0", "13", "07", "000000012")) {
      cases.add(List.of("-l", n, "true"));
    }
    cases.add(List.of("-e", "X", "-e", "UNSET_HERE", "-e", "X=z", "-e", "Y=1", "true"));
    cases.add(List.of("-c", "2", "--pids-max", "4194304", "--memory-swappiness", "100", "x"));
    cases.add(List.of("-c", "262144", "--pids-limit=1", "--memory-swappiness", "0", "x", "--rm"));
    cases.add(
        List.of("--name=a=b", "-h", "h", "-u", "1000", "-w", "/", "-i", "img", "x", "-l", "9"));
    for (List<String> args : cases) {
      Ran n = parsed(args);
      assertEquals(0, n.status(), args + ": " + n);
      assertTrue(n.text().endsWith("\n"), n.text());
      sameRequest(
          expectedRequest(args, Map.of("X", "y")), n.text().strip(), "the request of " + args);
    }
  }

  @Test
  void whatItDoesNotHandleIsTheJvmsBeforeAnythingIsSent() throws Exception {
    List<List<String>> fallbacks =
        List.of(
            List.of("-l", "14", "true"),
            List.of("--bogus", "true"),
            List.of("--help"),
            List.of(),
            List.of("--"),
            List.of("--name"),
            List.of("--name", "a", "--name", "b", "true"),
            List.of("--rm", "--rm", "true"),
            List.of("-e", "=x", "true"),
            List.of("-m", "lots", "true"),
            List.of("--cpus", "0", "true"),
            List.of("--cpus", "1e1", "true"),
            List.of("--cpus", "0.0001", "true"),
            List.of("-l12", "true"),
            List.of("--feature", "uts-ns", "true"),
            List.of("--no-bind-root", "true"),
            List.of("--network", "wifi", "true"),
            List.of("--name", "-x", "true"),
            List.of("--", "echo", "@file"));
    for (List<String> args : fallbacks) {
      assertEquals(3, parsed(args).status(), "falls back: " + args);
    }
    // End to end: the JVM's text and status, through the launcher, with nothing sent.
    for (List<String> args :
        List.of(
            List.of("-l", "14", "true"),
            List.of("--bogus", "true"),
            List.of("--help"),
            List.of("-e", "=x", "true"),
            List.of("--rm", "--rm", "true"),
            List.of("-t", "--", "sh", "-c", "exit 5"))) {
      Files.deleteIfExists(calls);
      proxy.lines.clear();
      Ran n = nativeRun(Map.of(), NONE, args);
      long nativeRuns = runs(proxy.lines);
      assertEquals(
          List.of(("run " + String.join(" ", args)).strip()), calls(), "handed over: " + args);
      proxy.lines.clear();
      assertSame(jvm(Map.of(), NONE, args), n, args);
      // What went to the helper was the JVM's alone: as many run requests as the JVM sends.
      assertEquals(runs(proxy.lines), nativeRuns, args.toString());
      assertEquals(args.contains("-t") ? 1 : 0, nativeRuns, args.toString());
    }
    // -d: the JVM's (an id and 0).
    Files.deleteIfExists(calls);
    Ran d = nativeRun(Map.of(), NONE, List.of("-d", "--", "sleep", "600"));
    assertEquals(0, d.status(), d.toString());
    assertTrue(d.text().matches("[0-9a-f]{12}\n"), d.text());
    assertEquals(List.of("run -d -- sleep 600"), calls());
    remove(d.text().trim());
    // No helper: the JVM's line and 125.
    Files.deleteIfExists(calls);
    Map<String, String> nowhere =
        Map.of("GLASSHOUSE_SOCKET", socket.resolveSibling("absent.sock").toString());
    Ran n = nativeRun(nowhere, NONE, List.of("--", "true"));
    assertEquals(List.of("run -- true"), calls());
    assertSame(jvm(nowhere, NONE, List.of("--", "true")), n, "no helper");
    assertEquals(125, n.status());
    assertTrue(
        n.err().startsWith("glasshouse run: cannot reach the Glasshouse helper at "), n.err());
  }

  @Test
  void rmNameTakenAndTheClientsEnd() throws Exception {
    // --rm: gone from ps -a once it has exited (the helper removes it after exited).
    Ran rm = same(Map.of(), NONE, "--rm", "--", "sh", "-c", "exit 6");
    assertEquals(6, rm.status());
    Await.until(
        "no container left",
        Duration.ofSeconds(10),
        Duration.ofMillis(20),
        () -> {
          try {
            return containers().isEmpty();
          } catch (Exception e) {
            return false;
          }
        });
    // A name in use: conflict, 1, the helper's sentence.
    Ran held = jvm(Map.of(), NONE, List.of("-d", "--name", "taken", "--", "sleep", "600"));
    assertEquals(0, held.status(), held.toString());
    Ran taken = same(Map.of(), NONE, "--name", "taken", "--", "true");
    assertEquals(1, taken.status());
    assertTrue(taken.err().startsWith("glasshouse run: "), taken.err());
    remove("taken");
    // SIGTERM to the client: 128 + 15 as a JVM's, and its container goes with its connection.
    for (boolean isNative : List.of(true, false)) {
      List<String> args = List.of("--name", "held", "--", "sleep", "600");
      List<String> run = new ArrayList<>(List.of("run"));
      run.addAll(args);
      List<String> cmd =
          isNative ? NativeClients.client(NATIVE, launcher, args) : NativeClients.jvm(run);
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("GLASSHOUSE_SOCKET", socket.toString());
      pb.environment().remove("GLASSHOUSE_NATIVE");
      Process p = pb.start();
      Await.until(
          "held running",
          Duration.ofSeconds(60),
          Duration.ofMillis(20),
          () -> listedQuietly("held"));
      p.destroy();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(143, p.exitValue(), isNative ? "native" : "jvm");
      Await.until(
          "held gone", Duration.ofSeconds(10), Duration.ofMillis(20), () -> !listedQuietly("held"));
    }
    assertEquals(List.of(), calls());
  }

  /**
   * A Unix socket in front of the helper's that records every line a client sends: the requests of
   * the native client and the JVM compared as bytes.
   */
  static final class Proxy implements AutoCloseable {
    final Path path;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Path target;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    Proxy(Path path, Path target) throws IOException {
      this.path = path;
      this.target = target;
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(path));
      Thread t = new Thread(this::accept, "proxy-accept");
      t.setDaemon(true);
      t.start();
    }

    private void accept() {
      try {
        while (true) {
          SocketChannel c = server.accept();
          SocketChannel h = SocketChannel.open(StandardProtocolFamily.UNIX);
          h.connect(UnixDomainSocketAddress.of(target));
          open.add(c);
          open.add(h);
          pump(c, h, true);
          pump(h, c, false);
        }
      } catch (IOException e) {
        // Closed.
      }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean record) {
      Thread t =
          new Thread(
              () -> {
                ByteBuffer b = ByteBuffer.allocate(64 * 1024);
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                try {
                  while (from.read(b.clear()) > 0) {
                    b.flip();
                    if (record) {
                      for (int i = b.position(); i < b.limit(); i++) {
                        if (b.get(i) == '\n') {
                          lines.add(line.toString(StandardCharsets.UTF_8));
                          line.reset();
                        } else {
                          line.write(b.get(i));
                        }
                      }
                    }
                    while (b.hasRemaining()) {
                      to.write(b);
                    }
                  }
                } catch (IOException e) {
                  // One side went away.
                }
                try {
                  from.close();
                  to.close();
                } catch (IOException e) {
                  // Gone.
                }
              },
              "proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (SocketChannel c : open) {
        c.close();
      }
    }
  }
}
