package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.server.TestHelpers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CLI as a user runs it: a separate JVM with GLASSHOUSE_SOCKET pointing at a helper on a
 * temporary socket (driving the level-00 process fake).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CliEndToEndTest {

  private AutoCloseable helper;
  private Path socket;

  @BeforeEach
  void start() throws Exception {
    TestHelpers.Running r = TestHelpers.start();
    helper = r;
    socket = r.socket();
  }

  @AfterEach
  void stop() throws Exception {
    helper.close();
  }

  private CliResult glasshouse(Path sock, String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.glasshouse.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GLASSHOUSE_SOCKET", sock.toString());
    return CliResult.run(pb, stdin);
  }

  @Test
  void runPrintsOutputAndExitsWithTheContainersStatus() throws Exception {
    CliResult r =
        glasshouse(socket, "", "run", "--level", "0", "--", "/bin/sh", "-c", "echo hi; exit 7");
    assertEquals(new CliResult(7, "hi\n", ""), r);
  }

  @Test
  void runForwardsStdinAndReportsASignalAs128PlusN() throws Exception {
    assertEquals(
        new CliResult(0, "piped\n", ""), glasshouse(socket, "piped\n", "run", "--", "cat"));
    CliResult killed = glasshouse(socket, "", "run", "--", "/bin/sh", "-c", "kill -9 $$");
    assertEquals(137, killed.status(), killed.toString());
  }

  @Test
  void detachedRunPsAndRm() throws Exception {
    CliResult d = glasshouse(socket, "", "run", "-d", "--name", "napper", "--", "sleep", "60");
    assertEquals(0, d.status(), d.toString());
    String id = d.out().trim();
    assertTrue(id.matches("[0-9a-f]{12}"), d.toString());
    CliResult ps = glasshouse(socket, "", "ps");
    assertTrue(ps.out().startsWith("CONTAINER ID"), ps.toString());
    assertTrue(ps.out().contains(id) && ps.out().contains("napper"), ps.toString());
    CliResult rm = glasshouse(socket, "", "rm", "napper");
    assertEquals(1, rm.status());
    assertTrue(rm.err().contains("is running"), rm.toString());
    assertEquals(new CliResult(0, "napper\n", ""), glasshouse(socket, "", "rm", "-f", "napper"));
  }

  @Test
  void logsPrintsWhatAContainerWroteAndFollowsIt() throws Exception {
    CliResult d =
        glasshouse(
            socket,
            "",
            "run",
            "-d",
            "--",
            "/bin/sh",
            "-c",
            "echo one; echo two >&2; sleep 2; echo three");
    assertEquals(0, d.status(), d.toString());
    String id = d.out().trim();
    CliResult followed = glasshouse(socket, "", "logs", "-f", id);
    assertEquals(new CliResult(0, "one\nthree\n", "two\n"), followed);
    assertEquals(new CliResult(0, "one\nthree\n", "two\n"), glasshouse(socket, "", "logs", id));
    CliResult unknown = glasshouse(socket, "", "logs", "0123456789ab");
    assertEquals(1, unknown.status(), unknown.toString());
    assertTrue(unknown.err().contains("no container 0123456789ab"), unknown.toString());
  }

  @Test
  void psEscapesWhatAContainerChoseToCall() throws Exception {
    CliResult d =
        glasshouse(
            socket,
            "",
            "run",
            "-d",
            "--",
            "/bin/sh",
            "-c",
            "sleep 60",
            "\u001b]0;owned\u0007\nfake row");
    assertEquals(0, d.status(), d.toString());
    CliResult ps = glasshouse(socket, "", "ps");
    assertEquals(2, ps.out().lines().count(), "one header, one row: " + ps.out());
    assertTrue(ps.out().contains("\\e]0;owned…"), ps.out());
    assertTrue(ps.out().chars().noneMatch(c -> c == 0x1b || c == 7), ps.out());
    glasshouse(socket, "", "rm", "-f", d.out().trim());
  }

  @Test
  void failedStartPrintsTheStepAndExits125() throws Exception {
    CliResult r = glasshouse(socket, "", "run", "--", "/nonexistent/glasshouse-cmd");
    assertEquals(125, r.status(), r.toString());
    assertTrue(r.err().startsWith("glasshouse run: cannot start"), r.err());
    assertTrue(
        r.err().contains("step spawn: execve(/nonexistent/glasshouse-cmd) = -1 ENOENT"), r.err());
  }

  @Test
  void noHelperIsOneClearLine() throws Exception {
    Path nowhere = socket.resolveSibling("absent.sock");
    CliResult r = glasshouse(nowhere, "", "ps");
    assertEquals(125, r.status(), "docker's status for a daemon it cannot reach");
    assertEquals(
        "glasshouse ps: cannot reach the Glasshouse helper at "
            + nowhere
            + ": is it running? start it with: sudo ./glasshouse helper\n",
        r.err());
  }

  @Test
  void psNamesEveryContainerListsExecsUnderItsContainerAndQuietPrintsIds() throws Exception {
    // Long sleeps: each CLI call is a JVM start, which a loaded machine can make last seconds.
    CliResult d = glasshouse(socket, "", "run", "-d", "--", "sleep", "600");
    assertEquals(0, d.status(), d.toString());
    String id = d.out().trim();
    CliResult x = glasshouse(socket, "", "exec", "-d", id, "sleep", "600");
    assertEquals(0, x.status(), x.toString());
    String execId = x.out().trim();

    CliResult ps = glasshouse(socket, "", "ps");
    List<String> rows = ps.out().lines().toList();
    assertEquals(3, rows.size(), "header, the container, its exec: " + ps.out());
    assertTrue(rows.get(1).startsWith(id), ps.out());
    // An unnamed container is named by the helper, and the name works where an id does.
    String name = rows.get(1).substring(rows.get(1).lastIndexOf(' ') + 1);
    assertTrue(name.matches("[a-z]+_[a-z]+"), ps.out());
    assertTrue(rows.get(2).startsWith("└ " + execId) && rows.get(2).contains(" exec "), ps.out());

    assertEquals(new CliResult(0, id + "\n", ""), glasshouse(socket, "", "ps", "-q"));
    assertEquals(new CliResult(0, name + "\n", ""), glasshouse(socket, "", "rm", "-f", name));
    assertEquals(new CliResult(0, "", ""), glasshouse(socket, "", "ps", "-aq"));
    assertEquals(new CliResult(0, "", ""), glasshouse(socket, "", "ps", "--quiet", "--all"));
  }

  @Test
  void helpAndUsageMistakesInARealProcess() throws Exception {
    CliResult help = glasshouse(socket, "", "exec", "--help");
    assertEquals(0, help.status(), help.toString());
    assertTrue(help.out().startsWith("Usage: glasshouse exec "), help.out());
    CliResult bad = glasshouse(socket, "", "ps", "-x");
    assertEquals(
        new CliResult(2, "", "glasshouse ps: Unknown option: '-x' (see glasshouse ps --help)\n"),
        bad);
  }
}
