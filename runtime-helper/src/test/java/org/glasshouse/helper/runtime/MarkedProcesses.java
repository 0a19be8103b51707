package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The processes of a workload that tries to outlive its container, found on the host by a marker:
 * its sleeps sleep a random, unique number of seconds, and its shells' scripts hold that number, so
 * every one of them shows it in {@code /proc/PID/cmdline}. Whatever a test finds left over, {@link
 * #killLeftovers} kills, so that a failing run leaks nothing.
 *
 * @param marker the number
 */
public record MarkedProcesses(long marker) {

  /** A new, unique marker (about 11 to 23 days of sleep: nothing else on the host sleeps that). */
  public static MarkedProcesses create() {
    return new MarkedProcesses(1_000_000 + ThreadLocalRandom.current().nextLong(1_000_000));
  }

  /**
   * The escapes, for {@code sh -c}: a background child; a double fork whose grandchild calls setsid
   * (new session, new process group, reparented once the subshell exits); a job in a process group
   * of its own ({@code set -m}: job control, which needs a terminal); a loop that forks and kills
   * sleeps without pause, so that a removal's kill races forks; then a foreground sleep.
   */
  public String workload() {
    long m = marker;
    // Level 01's /dev is an empty tmpfs, and a shell without job control gives a background job
    // /dev/null as its stdin: without the node the job is not even started.
    return "[ -c /dev/null ] || mknod -m 666 /dev/null c 1 3 ; sleep "
        + m
        + " & ( setsid sleep "
        + m
        + " & ) ; set -m ; sleep "
        + m
        + " & set +m ; ( while : ; do sleep "
        + m
        + " & kill $! ; done ) & echo ready ; sleep "
        + m;
  }

  /** One process that carries the marker. */
  public record Proc(long pid, long ppid, long pgid, long sid, String cmdline) {
    @Override
    public String toString() {
      return pid + " (ppid " + ppid + ", pgid " + pgid + ", sid " + sid + ") " + cmdline;
    }
  }

  /**
   * Waits until the workload whose first process is {@code command} (asked again each time: it is
   * known once the container runs) has made every escape: a daemon in a session of its own, a job
   * in a process group of its own in the command's session, and at least four sleeps.
   *
   * @return the processes then
   */
  public List<Proc> awaitEscapes(LongSupplier command, Object context) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<Proc> ps = List.of();
    while (System.nanoTime() < deadline) {
      ps = live();
      long cmd = command.getAsLong();
      Proc first = ps.stream().filter(p -> p.pid() == cmd).findFirst().orElse(null);
      if (first != null) {
        boolean daemon = ps.stream().anyMatch(p -> p.sid() != first.sid() && p.sid() == p.pid());
        boolean job =
            ps.stream()
                .anyMatch(
                    p -> p.pgid() != first.pgid() && p.sid() == first.sid() && p.pgid() == p.pid());
        long sleeps = ps.stream().filter(p -> p.cmdline().startsWith("sleep ")).count();
        if (daemon && job && sleeps >= 4) {
          return ps;
        }
      }
      Thread.sleep(50); // polling /proc: no event says that a process forked
    }
    fail("the workload did not make all its escapes within 60 s: " + ps + "; " + context);
    return ps;
  }

  /** Asserts that none is left, allowing a killed one 5 s to be gone from /proc. */
  public void assertNoneLeft(String when) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<Proc> left = live();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50); // a killed process may take a moment to be gone from /proc
      left = live();
    }
    assertEquals(List.of(), left, "processes left running " + when);
  }

  /** Kills what a failing run left, again and again until nothing carries the marker. */
  public void killLeftovers() throws Exception {
    for (int round = 0; round < 500; round++) {
      List<Proc> left = live();
      if (left.isEmpty()) {
        return;
      }
      for (Proc p : left) {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
      Thread.sleep(20); // let the killed ones go before looking again
    }
  }

  /** Every live (not zombie) process whose command line holds the marker. */
  public List<Proc> live() throws IOException {
    String needle = Long.toString(marker);
    List<Proc> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : ds) {
        try {
          String cmd =
              new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8)
                  .replace('\0', ' ')
                  .trim();
          if (!cmd.contains(needle)) {
            continue;
          }
          String stat = Files.readString(d.resolve("stat"), StandardCharsets.UTF_8);
          // After the name: state ppid pgrp session …
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (f[0].equals("Z")) {
            continue; // dead already, waiting to be reaped
          }
          out.add(
              new Proc(
                  Long.parseLong(d.getFileName().toString()),
                  Long.parseLong(f[1]),
                  Long.parseLong(f[2]),
                  Long.parseLong(f[3]),
                  cmd));
        } catch (IOException | RuntimeException e) {
          // Gone between the listing and the reading.
        }
      }
    }
    return out;
  }
}
