package org.glasshouse.helper.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.glasshouse.testsupport.Prerequisites;
import org.junit.jupiter.api.Test;

/**
 * {@link JnaSyscalls} over the real libc by direct mapping, as any user (nothing here needs root or
 * changes the process): every libc symbol binds (the class initializes), each fixed-arity variant
 * of the variadic {@code syscall} and {@code ioctl} reaches the kernel with its arguments where the
 * kernel reads them, {@code size_t} results come back whole, and a refusal reads like strace.
 */
class DirectLibCTest {

  private final JnaSyscalls sys = new JnaSyscalls();

  @Test
  void aCallWithNoArgumentsReturnsTheKernelsAnswer() {
    assertEquals(ProcessHandle.current().pid(), sys.getpid());
  }

  @Test
  void syscallWithTwoPointersReadsThisProcesssCapabilities() throws Exception {
    long[] sets = sys.capget();
    assertEquals(status("CapEff:"), sets[0], "effective");
    assertEquals(status("CapPrm:"), sets[1], "permitted");
    assertEquals(status("CapInh:"), sets[2], "inheritable");
  }

  @Test
  void syscallWithThreeNumbersLeavesIdsUnchanged() throws Exception {
    // -1 is "leave unchanged" once the kernel truncates it to a 32-bit uid_t: a wrong register or
    // width would be EINVAL or, for a non-root user, EPERM.
    sys.setresgid(-1, -1, -1);
    sys.setresuid(-1, -1, -1);
  }

  @Test
  void syscallWithPathsFailsOnAPathThatDoesNotExist() {
    SyscallException e =
        assertThrows(
            SyscallException.class,
            () -> sys.pivotRoot("/glasshouse-test-nowhere/a", "/glasshouse-test-nowhere/b"));
    // ENOENT, not EFAULT: both strings reached the kernel as strings. EPERM for a non-root user.
    assertEquals(Prerequisites.runningAsRoot() ? "ENOENT" : "EPERM", e.errnoName(), e::getMessage);
  }

  @Test
  void ioctlWithAPointerNamesTheBadFd() {
    SyscallException e = assertThrows(SyscallException.class, () -> sys.setWindowSize(-1, 80, 24));
    assertEquals("EBADF", e.errnoName());
    assertEquals(
        Call.setWindowSize(-1, 80, 24).toString() + " = -1 EBADF (Bad file descriptor)",
        e.getMessage());
  }

  @Test
  void readAndWriteMoveTheBytesTheySay() throws Exception {
    int[] fds = sys.pipe();
    try {
      byte[] out = "glass".getBytes(StandardCharsets.UTF_8);
      assertEquals(5, sys.write(fds[1], out, out.length));
      byte[] in = new byte[16];
      int n = sys.read(fds[0], in);
      assertEquals(5, n);
      assertArrayEquals(out, Arrays.copyOf(in, n));
    } finally {
      sys.close(fds[0]);
      sys.close(fds[1]);
    }
  }

  @Test
  void aRefusedCallReadsLikeStrace() {
    SyscallException e =
        assertThrows(SyscallException.class, () -> sys.chdir("/glasshouse-test-nowhere"));
    assertEquals(
        "chdir(\"/glasshouse-test-nowhere\") = -1 ENOENT (No such file or directory)",
        e.getMessage());
  }

  @Test
  void theFdRelativeLayerBindsToo() {
    SyscallException e =
        assertThrows(
            SyscallException.class,
            () -> sys.openat2(null, "/glasshouse-test-nowhere/x", FsFlags.O_PATH, 0, 0));
    assertEquals("ENOENT", e.errnoName(), e::getMessage);
  }

  private static long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field)) {
        return Long.parseUnsignedLong(line.substring(field.length()).trim(), 16);
      }
    }
    throw new IOException("no " + field + " in /proc/self/status");
  }
}
