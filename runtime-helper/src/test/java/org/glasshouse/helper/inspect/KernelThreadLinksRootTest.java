package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link KernelThreadLinks} on the real kernel: its scans give what reading every process gives,
 * and a running process that unshares (no exec, no fork, no event of any kind) shows on the next
 * scan.
 */
@Tag("root")
@EnabledOnOs(OS.LINUX)
class KernelThreadLinksRootTest {

  private final HostFs fs = HostFs.real();
  private final Inspector inspector = Inspector.real();

  @BeforeEach
  void requireRoot() {
    TestSupport.requireRoot("pidfds of kernel threads");
  }

  private static Map<Long, Map<String, Long>> byPid(List<Namespaces> scan) {
    Map<Long, Map<String, Long>> m = new HashMap<>();
    scan.forEach(n -> m.put(n.pid(), n.inodes()));
    return m;
  }

  @Test
  void scansGiveWhatReadingEveryProcessGives() throws Exception {
    KernelThreadLinks k = new KernelThreadLinks(fs, new JnaSyscalls());
    k.scan(inspector.allPids());
    TestSupport.onlyOn(k.heldCount() > 0, "no kernel thread is listed in this /proc");
    for (int round = 0; round < 3; round++) {
      List<Long> pids = inspector.allPids();
      Map<Long, Map<String, Long>> kept = byPid(k.scan(pids));
      int compared = 0;
      for (long p : pids) {
        Map<String, Long> now;
        try {
          now = Namespaces.read(fs, p).inodes();
        } catch (ProcessGoneException e) {
          continue;
        }
        if (kept.containsKey(p) && fs.alive(p)) {
          assertEquals(now, kept.get(p), "pid " + p);
          compared++;
        }
      }
      assertTrue(compared > k.heldCount());
    }
  }

  @Test
  void aProcessThatUnsharesWithoutExecShowsOnTheNextScan() throws Exception {
    TestSupport.require(
        Files.isExecutable(Path.of("/usr/bin/perl")),
        "needs perl, to call unshare(2) without exec: apt-get install -y perl-base");
    String arch = System.getProperty("os.arch");
    int unshare = arch.equals("amd64") || arch.equals("x86_64") ? 272 : 97; // arm64's table: 97
    Process p =
        new ProcessBuilder(
                "/usr/bin/perl",
                "-e",
                "$|=1; print qq(ready\\n); <STDIN>; syscall("
                    + unshare
                    + ", 0x04000000) == 0 or die qq(unshare: $!); print qq(moved\\n); sleep 60")
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("ready", out.readLine());
      KernelThreadLinks k = KernelThreadLinks.real();
      long host = Namespaces.read(fs, inspector.hostPid()).inodes().get("uts");
      assertEquals(host, byPid(k.scan(inspector.allPids())).get(p.pid()).get("uts"));
      OutputStream in = p.getOutputStream();
      in.write('\n');
      in.flush();
      assertEquals("moved", out.readLine());
      Long now = byPid(k.scan(inspector.allPids())).get(p.pid()).get("uts");
      assertNotEquals(host, now);
      assertEquals(Namespaces.read(fs, p.pid()).inodes().get("uts"), now);
      assertEquals(now, byPid(inspector.scanNamespaces()).get(p.pid()).get("uts"));
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
  }
}
