package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No client can lock root out: two other users each hold 300 idle connections (a Perl script run
 * with setpriv as uid 65534 and 65533, in the socket's group so they are allowed), and root is
 * still served. The first user gets its 32 (the per-uid limit), the second the 24 left outside the
 * 8 kept for root; every other connection gets one {@code limit} line saying why, never a reset.
 */
@Tag("root")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConnectionLimitsRootTest {

  /** Opens N connections, reports how each was answered within 5 s, then holds them. */
  private static final String HOLDER =
      """
      use strict; use warnings; use IO::Socket::UNIX; use IO::Select; use Socket;
      $| = 1;
      my ($path, $n) = @ARGV;
      my @s;
      for my $i (1 .. $n) {
        my $c = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path)
          or do { print "failed $i $!\\n"; next };
        push @s, $c;
      }
      my $sel = IO::Select->new(@s);
      my ($refused, $other, $example) = (0, 0, '');
      my $end = time + 5;
      while (time < $end && $sel->count) {
        for my $r ($sel->can_read(0.5)) {
          my $l = <$r>;
          $sel->remove($r);
          if (defined $l && $l =~ /"code":"limit"/) { $refused++; $example = $l; } else { $other++; }
        }
      }
      print "connected ", scalar(@s), " refused $refused other $other\\n";
      print "example $example";
      <STDIN>;
      """;

  private record Holder(Process process, int connected, int refused, int other, String example) {}

  private static Holder hold(Path socket, int uid, int gid, int n) throws Exception {
    Process p =
        new ProcessBuilder(
                "setpriv",
                "--reuid=" + uid,
                "--regid=" + gid,
                "--clear-groups",
                "perl",
                "-e",
                HOLDER,
                socket.toString(),
                Integer.toString(n))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String summary = out.readLine();
    String example = out.readLine();
    assertTrue(summary != null && summary.startsWith("connected "), "holder said: " + summary);
    String[] f = summary.split(" ");
    return new Holder(
        p, Integer.parseInt(f[1]), Integer.parseInt(f[3]), Integer.parseInt(f[5]), example);
  }

  @Test
  void twoUsersHoldingSixHundredIdleConnectionsDoNotLockRootOut() throws Exception {
    TestSupport.requireRoot("the connection limits test (the holders switch uid with setpriv)");
    TestSupport.require(Files.isExecutable(Path.of("/usr/bin/perl")), "needs perl (perl-base)");
    List<Holder> holders = new ArrayList<>();
    try (TestHelper helper = new TestHelper()) {
      int gid = (Integer) Files.getAttribute(helper.dir, "unix:gid");
      Files.setPosixFilePermissions(helper.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Holder first = hold(helper.socket(), 65534, gid, 300);
      holders.add(first);
      assertEquals(300, first.connected(), "every connect() succeeded: the backlog holds them");
      assertEquals(268, first.refused(), first.toString());
      assertEquals(0, first.other(), "the 32 admitted ones wait for their hello: " + first);
      assertTrue(first.example().contains("the limit per user"), first.example());
      Holder second = hold(helper.socket(), 65533, gid, 300);
      holders.add(second);
      assertEquals(300, second.connected());
      assertEquals(276, second.refused(), second.toString());
      assertTrue(second.example().contains("for root"), second.example());

      // 56 connections held by others: root is still served, on a slot kept for it.
      try (HelperClient root = HelperClient.connect(helper.socket(), "root", e -> {})) {
        assertTrue(root.call(Op.PS, Json.object()).has("containers"));
      }
      helper.awaitLog(l -> l.contains("uid=65534") && l.contains("limit per user"), "per uid");
    } finally {
      for (Holder h : holders) {
        h.process().getOutputStream().close();
        assertTrue(h.process().waitFor(30, TimeUnit.SECONDS));
      }
    }
  }
}
