package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;

/**
 * The three {@code bpf(2)} commands a cgroup v2 device filter needs: load a {@code
 * BPF_PROG_TYPE_CGROUP_DEVICE} program, attach it to a cgroup directory, and count the programs
 * attached to one (for inspection). glibc has no wrapper: {@code syscall(SYS_bpf, cmd, &attr,
 * size)}, the attr laid out by hand as {@code union bpf_attr} in linux/bpf.h.
 */
public final class Bpf {

  interface LibC extends Library {
    NativeLong syscall(NativeLong number, Object... args) throws LastErrorException;

    String strerror(int errno);
  }

  private static final int BPF_PROG_LOAD = 5;
  private static final int BPF_PROG_ATTACH = 8;
  private static final int BPF_PROG_QUERY = 16;
  private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
  private static final int BPF_CGROUP_DEVICE = 6;
  private static final int BPF_F_ALLOW_MULTI = 2;

  private final LibC libc;
  private final int sysBpf;

  /** Loads libc. */
  public Bpf() {
    this.libc = Native.load("c", LibC.class);
    this.sysBpf =
        switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64" -> 321;
          case "aarch64", "arm64" -> 280;
          default ->
              throw new UnsupportedOperationException(
                  "unsupported architecture " + System.getProperty("os.arch"));
        };
  }

  /** {@code BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=N, …}}. */
  public static String loadArgs(int insnCount, String license) {
    return "BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt="
        + insnCount
        + ", insns=[…], license="
        + SyscallArgs.q(license)
        + "}, 72";
  }

  /** {@code BPF_PROG_ATTACH, {target_fd=7</sys/fs/cgroup/…>, attach_bpf_fd=8, …}}. */
  public static String attachArgs(Fd cgroup, int progFd) {
    return "BPF_PROG_ATTACH, {target_fd="
        + cgroup.text()
        + ", attach_bpf_fd="
        + progFd
        + ", attach_type=BPF_CGROUP_DEVICE, attach_flags=BPF_F_ALLOW_MULTI}, 24";
  }

  /**
   * Loads a cgroup device program ({@code insns}: 8 bytes per instruction); returns its fd
   * (close-on-exec, as every bpf fd).
   */
  public int loadCgroupDevice(byte[] insns, String license) throws SyscallException {
    Memory code = new Memory(insns.length);
    code.write(0, insns, 0, insns.length);
    byte[] lic = (license + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Memory licMem = new Memory(lic.length);
    licMem.write(0, lic, 0, lic.length);
    Memory attr = new Memory(72);
    attr.clear();
    attr.setInt(0, BPF_PROG_TYPE_CGROUP_DEVICE);
    attr.setInt(4, insns.length / 8);
    attr.setPointer(8, code);
    attr.setPointer(16, licMem);
    return bpf("bpf", loadArgs(insns.length / 8, license), BPF_PROG_LOAD, attr, 72);
  }

  /**
   * Attaches program {@code progFd} to the cgroup open on {@code cgroup}, next to any a parent
   * attached ({@code BPF_F_ALLOW_MULTI}: every program on the way must allow).
   */
  public void attachCgroupDevice(Fd cgroup, int progFd) throws SyscallException {
    Memory attr = new Memory(24);
    attr.clear();
    attr.setInt(0, cgroup.number());
    attr.setInt(4, progFd);
    attr.setInt(8, BPF_CGROUP_DEVICE);
    attr.setInt(12, BPF_F_ALLOW_MULTI);
    bpf("bpf", attachArgs(cgroup, progFd), BPF_PROG_ATTACH, attr, 24);
  }

  /** How many device programs are attached to the cgroup directory {@code dir} itself. */
  public int countCgroupDevice(String dir) throws SyscallException {
    int fd = open(dir);
    try {
      Memory attr = new Memory(32);
      attr.clear();
      attr.setInt(0, fd);
      attr.setInt(4, BPF_CGROUP_DEVICE);
      bpf(
          "bpf",
          "BPF_PROG_QUERY, {target_fd=" + fd + "<" + dir + ">, attach_type=BPF_CGROUP_DEVICE}, 32",
          BPF_PROG_QUERY,
          attr,
          32);
      return attr.getInt(24);
    } finally {
      close(fd);
    }
  }

  /** Opens a cgroup directory for {@link #attachCgroupDevice}. */
  public Fd openCgroup(String dir) throws SyscallException {
    return new Fd(open(dir), dir);
  }

  // open and close are FsCalls' (one binding per syscall); only bpf(2) itself is bound here.

  private int open(String dir) throws SyscallException {
    int flags = FsFlags.O_RDONLY | FsFlags.O_DIRECTORY | FsFlags.O_CLOEXEC;
    return FsCalls.real().openat(FsFlags.AT_FDCWD, dir.getBytes(StandardCharsets.UTF_8), flags, 0);
  }

  /** Closes an fd this class returned; never fails (EBADF only: already closed). */
  public void close(int fd) {
    try {
      FsCalls.real().close(fd);
    } catch (SyscallException e) {
      // EBADF: nothing to close.
    }
  }

  private int bpf(String name, String args, int cmd, Memory attr, int size)
      throws SyscallException {
    try {
      return libc.syscall(new NativeLong(sysBpf), cmd, attr, size).intValue();
    } catch (LastErrorException e) {
      throw fail(name, args, e);
    }
  }

  private SyscallException fail(String name, String args, LastErrorException e) {
    int errno = e.getErrorCode();
    return new SyscallException(name, args, errno, Errno.name(errno), libc.strerror(errno));
  }
}
