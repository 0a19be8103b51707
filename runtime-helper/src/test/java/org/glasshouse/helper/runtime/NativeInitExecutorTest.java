package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native init's executor ({@code glasshouse-init}) against the kernel, spoken to in its own op
 * lines written by hand here: slots, tolerated errors and skips, PATH lookup and execve, a failing
 * op, and hostile op lists — each a clear "bad" answer and exit 125, never a crash.
 */
class NativeInitExecutorTest {

  @TempDir Path dir;

  /** What one run of the executor said and did. */
  record Run(String hello, List<String> answers, int status, String out) {}

  private Run run(String... ops) throws Exception {
    return run(String.join("\n", ops) + "\n");
  }

  private Run run(String opText) throws Exception {
    Path exe =
        NativeInit.find().orElseThrow(() -> new AssertionError("glasshouse-init is not built"));
    Path sock = dir.resolve("init.sock");
    Files.deleteIfExists(sock);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      ProcessBuilder pb = new ProcessBuilder(exe.toString());
      pb.environment().clear();
      pb.environment().put("GLASSHOUSE_INIT_SOCKET", sock.toString());
      pb.environment().put("GLASSHOUSE_INIT_TOKEN", "00ff");
      Path out = dir.resolve("out");
      pb.redirectOutput(out.toFile()).redirectError(dir.resolve("err").toFile());
      pb.directory(dir.toFile());
      Process p = pb.start();
      try (SocketChannel ch = server.accept()) {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        String hello = in.readLine();
        try {
          OutputStream o = Channels.newOutputStream(ch);
          o.write(opText.getBytes(StandardCharsets.UTF_8));
          o.flush();
          // The helper's part ends with the op list: a sync point that waits for it finds the end.
          ch.shutdownOutput();
        } catch (IOException stoppedReading) {
          // An executor that refused a line stops reading: the rest of the list is not wanted.
        }
        List<String> answers = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          answers.add(line);
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the executor ends");
        return new Run(hello, answers, p.exitValue(), Files.readString(out));
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static String str(String s) {
    StringBuilder b = new StringBuilder("'");
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if (c <= 0x20 || c >= 0x7f || c == '%') {
        b.append(String.format("%%%02X", c & 0xff));
      } else {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Test
  void saysHelloWithItsTokenAndRunsOpsIntoSlotsUntilExecve() throws Exception {
    Files.writeString(dir.resolve("there"), "");
    int dirFlags = 0x200000 | 0x10000 | 0x80000; // O_PATH|O_DIRECTORY|O_CLOEXEC
    int newFile = 1 | 0x40 | 0x80 | 0x80000; // O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC
    int place = 0x200000 | 0x80000; // O_PATH|O_CLOEXEC
    int beneath = 0x08 | 0x04; // RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS
    Run r =
        run(
            "open 100 0 0 0 " + str(dir.toString()) + " " + dirFlags,
            // Exists: tolerated, and the fallback (same slot) runs.
            "openat2 101 17 1 0 100 'there " + newFile + " 420 " + beneath,
            "openat2 101 0 0 0 100 'there " + place + " 0 " + beneath,
            // New: created, and the fallback is skipped.
            "openat2 102 17 1 0 100 'new " + newFile + " 420 " + beneath,
            "openat2 102 0 0 0 100 'new " + place + " 0 " + beneath,
            "mkdirat -1 17 0 0 100 'sub 493",
            "mkdirat -1 17 0 0 100 'sub 493",
            "symlinkat -1 0 0 0 '/proc/self/fd 100 'fd",
            // A symlink beneath the root is refused (ELOOP), never followed.
            "openat2 103 0 0 0 100 'fd/ " + dirFlags + " 0 " + beneath,
            "end");
    assertEquals("{\"type\":\"hello\",\"token\":\"00ff\"}", r.hello());
    assertEquals(125, r.status());
    List<String> a = r.answers();
    assertTrue(a.get(0).matches("0 ok 100 \\d+"), a.toString());
    assertTrue(a.get(1).matches("1 tol \\d+"), a.toString());
    assertTrue(a.get(2).matches("2 ok 101 \\d+"), a.toString());
    assertTrue(a.get(3).matches("3 ok 102 \\d+"), a.toString());
    assertEquals("4 skip", a.get(4));
    assertTrue(a.get(5).matches("5 ok 0 \\d+"), a.toString());
    assertTrue(a.get(6).matches("6 tol \\d+"), a.toString());
    assertTrue(a.get(7).matches("7 ok 0 \\d+"), a.toString());
    assertTrue(
        a.get(8).matches("8 err 40 \\d+ 'Too%20many%20levels%20of%20symbolic%20links"),
        "ELOOP: " + a);
    assertEquals(9, a.size(), a.toString());
    assertTrue(Files.isRegularFile(dir.resolve("new")));
    assertTrue(Files.isDirectory(dir.resolve("sub")));
    assertEquals("/proc/self/fd", Files.readSymbolicLink(dir.resolve("fd")).toString());
  }

  @Test
  void looksTheCommandUpInPathAndExecsItWithOnlyItsOwnEnvironment() throws Exception {
    Run r =
        run(
            "dumpable -1 0 0 0 0",
            "close_range_cloexec -1 0 0 0 3",
            "execve -1 0 0 0 'env '/nonexistent:/usr/bin:/bin 1 'env 1 'A=b%20c",
            "end");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.answers().get(0).matches("0 ok 0 \\d+"), r.toString());
    assertTrue(r.answers().get(1).matches("1 ok 0 \\d+"), r.toString());
    assertTrue(r.answers().get(2).matches("2 exec '/usr/bin/env|2 exec '/bin/env"), r.toString());
    assertEquals("A=b c\n", r.out(), "the environment is exactly the op's");
  }

  @Test
  void spawnsTheCommandSaysItsPidClosesTheChannelAndEndsAsItEnds() throws Exception {
    // An exec into a PID namespace: spawn, then silently wait and end with the command's status.
    Run r =
        run(
            "close_range_cloexec -1 0 0 0 3",
            "spawn -1 0 0 0 'sh '/nonexistent:/usr/bin:/bin 3 'sh '-c "
                + str("ls /proc/self/fd | tr '\\n' ' '; echo \"$A\"; exit 7")
                + " 1 'A=b%20c 0",
            "waitpid -1 0 0 0",
            "end_as -1 0 0 0",
            "mkdir -1 0 0 0 " + str(dir.resolve("never").toString()) + " 493",
            "end");
    assertEquals(7, r.status(), r.toString());
    List<String> a = r.answers();
    assertTrue(a.get(0).matches("0 ok 0 \\d+"), a.toString());
    assertTrue(a.get(1).matches("1 exec '/usr/bin/sh|1 exec '/bin/sh"), a.toString());
    assertTrue(a.get(2).matches("1 spawned [1-9]\\d* \\d+"), a.toString());
    assertEquals(3, a.size(), "nothing after spawned: " + a);
    // Only 0 1 2 (and ls's own directory fd) reach the command; its env is exactly the op's.
    assertEquals("0 1 2 3 b c\n", r.out());
    assertTrue(Files.notExists(dir.resolve("never")), "end_as ends the init");
  }

  @Test
  void aSpawnedCommandKilledBySignalKillsTheInitWithIt() throws Exception {
    Run r =
        run(
            "spawn -1 0 0 0 'sh '/usr/bin:/bin 3 'sh '-c " + str("kill -TERM $$") + " 0 0",
            "waitpid -1 0 0 0",
            "end_as -1 0 0 0",
            "end");
    // Java reports a death by SIGTERM as 128 + 15.
    assertEquals(143, r.status(), r.toString());
  }

  @Test
  void aCommandThatCannotBeSpawnedIsTheSpawnsErrno() throws Exception {
    Run r =
        run(
            "spawn -1 0 0 0 'no-such-command '/nonexistent 1 'no-such-command 0 0",
            "waitpid -1 0 0 0",
            "end_as -1 0 0 0",
            "end");
    assertEquals(125, r.status(), r.toString());
    assertEquals("0 exec 'no-such-command", r.answers().get(0));
    assertTrue(
        r.answers().get(1).matches("0 err 2 \\d+ 'No%20such%20file%20or%20directory"),
        r.toString());
    assertEquals(2, r.answers().size(), r.toString());
  }

  @Test
  void aWaitWithoutASpawnEndsAsAFailedInit() throws Exception {
    Run r = run("waitpid -1 0 0 0", "end_as -1 0 0 0", "end");
    assertEquals(125, r.status(), r.toString());
  }

  @Test
  void aFailingOpIsItsErrnoAndNothingAfterItRuns() throws Exception {
    Run r =
        run(
            "chdir -1 0 0 0 '/nonexistent/dir",
            "mkdir -1 0 0 0 " + str(dir.resolve("never").toString()) + " 493",
            "end");
    assertEquals(125, r.status());
    assertEquals(1, r.answers().size(), r.toString());
    assertTrue(
        r.answers().get(0).matches("0 err 2 \\d+ 'No%20such%20file%20or%20directory"),
        "ENOENT: " + r);
    assertTrue(Files.notExists(dir.resolve("never")));
  }

  @Test
  void theHelpersRefusalEndsTheRun() throws Exception {
    Run r = run("refuse -1 0 0 0", "chdir -1 0 0 0 '/", "end");
    assertEquals(List.of("0 refused"), r.answers());
    assertEquals(125, r.status());
  }

  @Test
  void waitsForTheHelperAtEachSyncPoint() throws Exception {
    // "ready" is answered with the pid; "go" is read from the channel: here the helper has
    // closed it after the op list, so the executor ends there without running what follows.
    Run r =
        run("ready -1 0 0 0", "go -1 0 0 0", "mkdir -1 0 0 0 " + str(dir + "/x") + " 493", "end");
    assertTrue(r.answers().get(0).matches("0 ready \\d+"), r.toString());
    assertEquals(1, r.answers().size(), r.toString());
    assertEquals(125, r.status());
    assertTrue(Files.notExists(dir.resolve("x")));
  }

  @Test
  void itsEnvironmentKeepsNoTraceOfTheChannelOnceItHasSaidHello() throws Exception {
    // A command spawned into a container's PID namespace shares the executor's memory until its
    // execve, and /proc/PID/environ shows that memory to the container's root: neither the token
    // nor the socket nor even their names may be found there once the hello is sent.
    Path exe =
        NativeInit.find().orElseThrow(() -> new AssertionError("glasshouse-init is not built"));
    Path sock = dir.resolve("init.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      ProcessBuilder pb = new ProcessBuilder(exe.toString());
      pb.environment().clear();
      pb.environment().put("GLASSHOUSE_INIT_SOCKET", sock.toString());
      pb.environment().put("GLASSHOUSE_INIT_TOKEN", "00ff");
      pb.environment().put("KEPT", "yes");
      pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
      Process p = pb.start();
      try (SocketChannel ch = server.accept()) {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"hello\",\"token\":\"00ff\"}", in.readLine());
        OutputStream o = Channels.newOutputStream(ch);
        o.write("ready -1 0 0 0\ngo -1 0 0 0\nend\n".getBytes(StandardCharsets.UTF_8));
        o.flush();
        // Answered "ready": the op list was read, so the hello is long gone.
        assertTrue(in.readLine().matches("0 ready \\d+"));
        String environ =
            new String(
                    Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ")),
                    StandardCharsets.ISO_8859_1)
                .replace('\0', ' ');
        assertFalse(environ.contains("GLASSHOUSE_INIT"), "the names are wiped: " + environ);
        assertFalse(environ.contains("00ff"), "the token is wiped: " + environ);
        assertFalse(environ.contains(sock.toString()), "the socket is wiped: " + environ);
        assertTrue(environ.contains("KEPT=yes"), "the rest is left alone: " + environ);
        ch.shutdownOutput();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the executor ends");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void aSyncPointThatGetsTheWrongWordAbortsMidRunNotAsARefusedList() throws Exception {
    // The list was fine and ran up to "go"; the helper's next line is not "go": the executor
    // stops there, naming the op it stopped at, not as a "bad" (refused, nothing run) list.
    Run r =
        run(
            "ready -1 0 0 0\n"
                + "go -1 0 0 0\n"
                + "mkdir -1 0 0 0 "
                + str(dir + "/x")
                + " 493\nend\nnot-go\n");
    assertEquals(2, r.answers().size(), r.toString());
    assertTrue(r.answers().get(0).matches("0 ready \\d+"), r.toString());
    assertEquals("1 abort expected go from the helper, got not-go", r.answers().get(1));
    assertEquals(125, r.status());
    assertTrue(Files.notExists(dir.resolve("x")));
  }

  @Test
  void aMalformedOpListIsOneClearAnswerAndNothingRuns() throws Exception {
    String mk = "mkdir -1 0 0 0 " + str(dir.resolve("ran").toString()) + " 493";
    String[][] cases = {
      {"frobnicate -1 0 0 0", "bad 2 no op called frobnicate"},
      {"chdir -1 0 0 0", "bad 2 a missing string"},
      {"chdir -1 0 0 0 /tmp", "bad 2 not a string: /tmp"},
      {"chdir -1 0 0 0 '/tmp '/x", "bad 2 chdir: more arguments than 1"},
      {"chdir -1 0 0 0 '%4", "bad 2 a bad %-escape in a string"},
      {"chdir -1 0 0 0 'a%00b", "bad 2 a NUL byte in a string"},
      {"chdir -1 0 0 0 ~", "bad 2 a string that may not be absent is"},
      {"fchdir -1 0 0 0 12x", "bad 2 not an integer: 12x"},
      {"fchdir -1 0 0 0 99999999999999999999", "bad 2 not an integer: 99999999999999999999"},
      {"open 3 0 0 0 '/ 0", "bad 2 open: slot 3"},
      {"open 5000 0 0 0 '/ 0", "bad 2 a slot out of range: 5000"},
      {"chdir 100 0 0 0 '/", "bad 2 chdir: slot 100"},
      {"chdir -1 0 9 0 '/", "bad 2 a skip past the last op"},
      {"chdir  -1 0 0 0 '/", "bad 2 a missing integer"},
      {"execve -1 0 0 0 'a 'b 999999 'x", "bad 2 a list's length out of range: 999999"},
      {"seccomp -1 0 0 0 1 6 0 0 4294967296", "bad 2 k out of range: 4294967296"},
      {"seccomp -1 0 0 0 0", "bad 2 a filter's length out of range: 0"},
      {"spawn -1 0 0 0 'a 'b 1 'a 0", "bad 2 a missing integer"},
      {"spawn -1 0 0 0 'a 'b 1 'a 0 1 2", "bad 2 spawn: more arguments than 5"},
      {"spawn 101 0 0 0 'a 'b 1 'a 0 0", "bad 2 spawn: slot 101"},
      {"waitpid -1 0 0 0 7", "bad 2 waitpid: more arguments than 0"},
      {"end_as -1 0 0 0 0", "bad 2 end_as: more arguments than 0"},
    };
    for (String[] c : cases) {
      Run r = run(mk, c[0], "end");
      assertEquals(List.of(c[1]), r.answers(), c[0]);
      assertEquals(125, r.status(), c[0]);
      assertTrue(Files.notExists(dir.resolve("ran")), "nothing ran before the list was checked");
    }
    Run eof = run(mk + "\n");
    assertEquals(
        List.of("bad 2 the helper closed the channel before the op list ended"), eof.answers());
    Run tooLong = run("chdir -1 0 0 0 '" + "a".repeat(300 * 1024) + "\nend\n");
    assertEquals(List.of("bad 1 a line longer than 262144 bytes"), tooLong.answers());
    assertEquals(125, tooLong.status());
  }
}
