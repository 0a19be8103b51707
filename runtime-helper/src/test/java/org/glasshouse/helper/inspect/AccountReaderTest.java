package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.inspect.Accounts;
import org.glasshouse.protocol.inspect.ProcessInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AccountReader}: the container's names next to the host's, from fixture trees. */
class AccountReaderTest {
  @TempDir Path tmp;

  @Test
  void parsesPasswdAndGroupLines() {
    assertEquals(
        Map.of(0L, "root", 1L, "daemon", 65534L, "nobody"),
        AccountReader.parse(
            "root:x:0:0:root:/root:/bin/sh\n"
                + "# a comment:x:5:\n"
                + "daemon:x:1:1::/:/bin/false\n"
                + "broken line\n"
                + "evil\u001bname:x:7:7::/:/\n"
                + "again:x:0:0::/:/\n"
                + "nobody:x:65534:65534::/:/\n"
                + ":x:9:9::/:/\n"
                + "neg:x:-1:0::/:/\n"));
  }

  @Test
  void namesTheIdsOfTheProcessesInsideAndOnTheHost() throws Exception {
    FakeProc p = new FakeProc(tmp);
    p.process(4242, FakeProc.ns(4026531800L));
    // /proc/PID/root is a magic link on the real machine; a plain directory stands in for it.
    Path root = Files.createDirectories(p.proc.resolve("4242/root/etc"));
    Files.writeString(root.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
    Files.writeString(root.resolve("group"), "root:x:0:\nstaff:x:50:\n");
    Files.createDirectories(p.root.resolve("etc"));
    Files.writeString(p.root.resolve("etc/passwd"), "root:x:0:0::/:/\nvm:x:1000:1000::/:/\n");
    Files.writeString(p.root.resolve("etc/group"), "root:x:0:\nvm:x:1000:\n");
    ProcessInfo proc =
        new ProcessInfo(
            4242,
            List.of(4242L),
            1,
            "sh",
            List.of("sh"),
            "S",
            "sleeping",
            List.of(1000L, 1000L, 0L, 1000L),
            List.of(50L, 50L, 50L, 50L),
            1,
            Map.of(),
            Map.of(),
            false,
            0,
            "disabled",
            null);
    Accounts a = AccountReader.read(p.fs, 4242, List.of(proc));
    assertEquals(
        List.of(new Accounts.Account(0, "root", "root"), new Accounts.Account(1000, null, "vm")),
        a.users());
    assertEquals(List.of(new Accounts.Account(50, "staff", null)), a.groups());
  }

  @Test
  void aProcessWithoutARootHasIdsButNoNames() throws Exception {
    FakeProc p = new FakeProc(tmp);
    p.process(7, FakeProc.ns(4026531800L));
    Accounts a = AccountReader.read(p.fs, 7, List.of());
    assertEquals(List.of(), a.users());
    assertEquals(List.of(), a.groups());
  }
}
