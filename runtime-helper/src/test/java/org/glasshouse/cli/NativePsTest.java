package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.server.TestHelpers;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native {@code ps} client (target/glasshouse-ps, issue 16) against a real helper of the test's
 * own: its output and status byte for byte the Java CLI's, for every state a row can show, and its
 * fallback to the JVM (through a stand-in launcher) for everything else.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NativePsTest {

  static final Path NATIVE = Path.of("target", "glasshouse-ps").toAbsolutePath();

  /** Every command line the client handles itself. */
  static final List<List<String>> PS_ARGS =
      List.of(
          List.of(),
          List.of("-a"),
          List.of("-q"),
          List.of("-aq"),
          List.of("-qa"),
          List.of("-a", "-q"),
          List.of("--all"),
          List.of("--all", "--quiet"));

  private TestHelpers.Running helper;
  private Path socket;
  private Path launcher;

  @BeforeEach
  void start(@TempDir Path tmp) throws Exception {
    assertTrue(Files.isExecutable(NATIVE), NATIVE + " is built in the compile phase");
    helper = TestHelpers.start();
    socket = helper.socket();
    launcher = NativeClients.launcher(tmp, null);
  }

  @AfterEach
  void stop() throws Exception {
    helper.close();
  }

  private CliResult run(List<String> cmd, Map<String, String> env, String stdin) throws Exception {
    return CliResult.run(NativeClients.process(cmd, socket, env), stdin);
  }

  /** The JVM CLI, as the launcher runs it. */
  private CliResult jvm(Map<String, String> env, String... args) throws Exception {
    return run(NativeClients.jvm(List.of(args)), env, "");
  }

  /** The native client, as the launcher runs it: {@code glasshouse-ps LAUNCHER ARGS…}. */
  private CliResult nativePs(Map<String, String> env, List<String> args) throws Exception {
    return run(NativeClients.client(NATIVE, launcher, args), env, "");
  }

  private static String[] ps(List<String> args) {
    List<String> a = new ArrayList<>(List.of("ps"));
    a.addAll(args);
    return a.toArray(String[]::new);
  }

  private JsonNode containers(boolean all) throws Exception {
    try (HelperClient c = HelperClient.connect(socket, "native-ps-test", e -> {})) {
      return c.call(Op.PS, JsonText.object().put("all", all)).get("containers");
    }
  }

  /** Every command line: native == Java, at one fixed instant for the table's spans. */
  private void assertSameAsJava() throws Exception {
    Instant now = Instant.now().plusSeconds(7200).plusNanos(123_456_789);
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    for (List<String> args : PS_ARGS) {
      boolean all = args.stream().anyMatch(List.of("-a", "--all", "-aq", "-qa")::contains);
      boolean quiet = args.stream().anyMatch(List.of("-q", "--quiet", "-aq", "-qa")::contains);
      CliResult n = nativePs(Map.of("GLASSHOUSE_PS_NOW", Long.toString(nanos)), args);
      String expected =
          quiet ? PsCommand.ids(containers(all)) : PsCommand.table(containers(all), now);
      assertEquals(new CliResult(0, expected, ""), n, "glasshouse ps " + args);
      if (quiet) {
        // No clock in ids: the whole JVM CLI, end to end.
        assertEquals(jvm(Map.of(), ps(args)), n, "glasshouse ps " + args);
      }
    }
    // And now, the table, at the real clock: the same rows as the JVM's, whose spans are seconds
    // later (a JVM's start), so compared as rows of ids.
    CliResult n = nativePs(Map.of(), List.of("-a"));
    CliResult j = jvm(Map.of(), "ps", "-a");
    assertEquals(j.status(), n.status());
    assertEquals(firstColumn(j.out()), firstColumn(n.out()));
  }

  private static List<String> firstColumn(String table) {
    return table.lines().map(l -> l.split("   ")[0]).toList();
  }

  @Test
  void noContainersIsTheHeaderOrNothing() throws Exception {
    for (List<String> args : PS_ARGS) {
      assertEquals(jvm(Map.of(), ps(args)), nativePs(Map.of(), args), "glasshouse ps " + args);
    }
    assertSameAsJava();
  }

  @Test
  void everyStateARowCanShowIsPrintedAsTheJvmPrintsIt() throws Exception {
    CliResult web = jvm(Map.of(), "run", "-d", "--name", "web", "--", "sleep", "600");
    assertEquals(0, web.status(), web.toString());
    CliResult unnamed = jvm(Map.of(), "run", "-d", "--", "sleep", "600");
    assertEquals(0, unnamed.status(), unnamed.toString());
    CliResult exec = jvm(Map.of(), "exec", "-d", unnamed.out().trim(), "sleep", "600");
    assertEquals(0, exec.status(), exec.toString());
    assertEquals(0, jvm(Map.of(), "run", "--", "true").status());
    assertEquals(3, jvm(Map.of(), "run", "--name", "three", "--", "sh", "-c", "exit 3").status());
    assertEquals(
        0,
        jvm(Map.of(), "run", "--", "sh", "-c", "echo a command line well past thirty units")
            .status());
    // Non-ASCII (a surrogate pair on the 30-unit cut), a tab and a backslash: escapes and widths.
    assertEquals(
        0,
        jvm(Map.of(), "run", "--", "echo", "h\u00e9llo\t\\ w\u00f6rld 1234567890123\ud83d\ude00x")
            .status());
    // Killed by a signal, where the runtime reports one.
    jvm(Map.of(), "run", "--", "sh", "-c", "kill -9 $$");
    assertSameAsJava();

    // Non-ASCII output under a locale that is not UTF-8: the JVM's ASCII spelling, not ours.
    // A UTF-8 locale that is not installed is C for the JVM too.
    for (String lang : List.of("C", "xx_XX.UTF-8")) {
      CliResult c = nativePs(Map.of("LANG", lang), List.of("-a"));
      assertEquals(0, c.status(), c.toString());
      assertTrue(c.out().chars().allMatch(ch -> ch < 0x80), lang + ": " + c.out());
      assertTrue(c.out().contains("\n` "), "the JVM's ASCII exec mark: " + c.out());
    }
  }

  @Test
  void whatItDoesNotKnowIsTheJvmsWithItsTextAndStatus() throws Exception {
    for (List<String> args :
        List.of(
            List.of("-x"),
            List.of("--help"),
            List.of("-a", "-a"),
            List.of("--format", "x"),
            List.of("-aq", "-q"),
            List.of("--"))) {
      CliResult n = nativePs(Map.of(), args);
      assertEquals(jvm(Map.of(), ps(args)), n, "glasshouse ps " + args);
    }
    assertEquals(
        new CliResult(2, "", "glasshouse ps: Unknown option: '-x' (see glasshouse ps --help)\n"),
        nativePs(Map.of(), List.of("-x")));
    // No helper: the JVM's one line and docker's status for a daemon it cannot reach.
    Path nowhere = socket.resolveSibling("absent.sock");
    CliResult n = nativePs(Map.of("GLASSHOUSE_SOCKET", nowhere.toString()), List.of());
    assertEquals(125, n.status(), n.toString());
    assertEquals(jvm(Map.of("GLASSHOUSE_SOCKET", nowhere.toString()), "ps"), n);
    assertTrue(
        n.err().startsWith("glasshouse ps: cannot reach the Glasshouse helper at "), n.err());
  }

  private CliResult json(String line) throws Exception {
    return run(List.of(NATIVE.toString()), Map.of("GLASSHOUSE_PS_JSON_TEST", "1"), line);
  }

  @Test
  void jsonReaderReadsTheProtocolsSubsetAndRefusesTheRest() throws Exception {
    assertEquals(
        new CliResult(
            0, "{\"a\":\"x\u00e9\ud83d\ude00\\n\\\\/\\t\",\"b\":[1,-2,true,false,null]}\n", ""),
        json("{\"a\":\"x\\u00e9\\ud83d\\ude00\\n\\\\\\/\\t\", \"b\" : [1,-2,true,false,null]}\n"));
    assertEquals(
        new CliResult(0, "{\"o\":{\"p\":[[],{},[{\"q\":\"\u00e9\"}]]}}\n", ""),
        json("{\"o\":{\"p\":[[],{},[{\"q\":\"\u00e9\"}]]}}"));
    // A lone surrogate: kept as Java keeps it, written as '?' as the JVM writes it.
    assertEquals(new CliResult(0, "\"?\"\n", ""), json("\"\\ud800\""));
    // C1 controls and bidi marks come out as Printable's escapes.
    assertEquals(
        new CliResult(0, "\"\\u0085\\u202E\\x01\"\n", ""), json("\"\\u0085\\u202e\\u0001\""));
    for (String bad :
        List.of(
            "{\"a\":",
            "{\"a\":1.5}",
            "{\"a\":1e3}",
            "{\"a\":01}",
            "[1,]",
            "{\"a\" 1}",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"raw\ttab\"",
            "[1] 2",
            "tru",
            "\"\u00e9",
            "9999999999999999999999",
            "[".repeat(100) + "]".repeat(100))) {
      assertEquals(3, json(bad).status(), bad);
    }
    // Malformed UTF-8 (a lone continuation byte, an overlong form): bad input too.
    for (byte[] raw :
        List.of(
            new byte[] {'"', (byte) 0x80, '"'}, new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'})) {
      ProcessBuilder pb = new ProcessBuilder(NATIVE.toString());
      pb.environment().put("GLASSHOUSE_PS_JSON_TEST", "1");
      Process p = pb.start();
      p.getOutputStream().write(raw);
      p.getOutputStream().close();
      p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(3, p.exitValue());
    }
  }
}
