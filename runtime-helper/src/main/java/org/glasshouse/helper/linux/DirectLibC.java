package org.glasshouse.helper.linux;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;

/**
 * {@link JnaSyscalls.LibC} by JNA's direct mapping: each method a JNI native bound once, at class
 * initialization, to its libc symbol. No {@code Library} proxy, no reflection and no argument
 * boxing per call (issue 16: the proxy's binding and first calls were a large part of an init JVM's
 * CPU). Every symbol bound here must exist in this libc, or the class does not initialize; the one
 * that glibc has only since 2.35 is looked up when called instead.
 *
 * <p>glibc's {@code syscall()} and {@code ioctl()} are variadic: the fixed-arity declarations pass
 * integer and pointer arguments in the same registers as a variadic call on x86-64 and arm64 Linux,
 * which is where those functions (and the kernel behind them) read them.
 */
final class DirectLibC implements JnaSyscalls.LibC {
  static {
    Native.register(DirectLibC.class, ProcessLibc.library());
  }

  @Override
  public native int unshare(int flags) throws LastErrorException;

  @Override
  public native int setpriority(int which, int who, int prio) throws LastErrorException;

  @Override
  public native int setns(int fd, int nstype) throws LastErrorException;

  @Override
  public native int mount(String source, String target, String fstype, long flags, String data)
      throws LastErrorException;

  @Override
  public native int umount2(String target, int flags) throws LastErrorException;

  @Override
  public native int chroot(String path) throws LastErrorException;

  @Override
  public native int chdir(String path) throws LastErrorException;

  @Override
  public native int rmdir(String path) throws LastErrorException;

  @Override
  public native int fchdir(int fd) throws LastErrorException;

  @Override
  public native int sethostname(byte[] name, long len) throws LastErrorException;

  @Override
  public native int mknod(String path, int mode, long dev) throws LastErrorException;

  @Override
  public native int symlink(String target, String linkPath) throws LastErrorException;

  @Override
  public native int mkdir(String path, int mode) throws LastErrorException;

  @Override
  public native long syscall(long number, String a, String b) throws LastErrorException;

  @Override
  public native long syscall(long number, long a, Pointer b) throws LastErrorException;

  @Override
  public native long syscall(long number, Pointer a, Pointer b) throws LastErrorException;

  @Override
  public native long syscall(long number, long a, long b, long c) throws LastErrorException;

  @Override
  public native long syscall(long number, long a, long b, Pointer c) throws LastErrorException;

  @Override
  public native int prctl(int option, long a2, long a3, long a4, long a5) throws LastErrorException;

  @Override
  public native int prctl(int option, long a2, Pointer a3, long a4, long a5)
      throws LastErrorException;

  @Override
  public native int execve(String path, StringArray argv, StringArray envp)
      throws LastErrorException;

  @Override
  public native int setsid() throws LastErrorException;

  @Override
  public native int ioctl(int fd, long request, long arg) throws LastErrorException;

  @Override
  public native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

  @Override
  public native int dup2(int oldFd, int newFd) throws LastErrorException;

  @Override
  public native int open(String path, int flags, int mode) throws LastErrorException;

  @Override
  public native int close(int fd) throws LastErrorException;

  @Override
  public native int posix_openpt(int flags) throws LastErrorException;

  @Override
  public native int grantpt(int fd) throws LastErrorException;

  @Override
  public native int unlockpt(int fd) throws LastErrorException;

  @Override
  public native int ptsname_r(int fd, byte[] buf, long len) throws LastErrorException;

  @Override
  public native long read(int fd, byte[] buf, long count) throws LastErrorException;

  @Override
  public native long write(int fd, byte[] buf, long count) throws LastErrorException;

  @Override
  public native int kill(int pid, int sig) throws LastErrorException;

  @Override
  public native int pipe2(int[] fds, int flags) throws LastErrorException;

  @Override
  public native int poll(Pointer fds, long nfds, int timeout) throws LastErrorException;

  @Override
  public native int eventfd(int initval, int flags) throws LastErrorException;

  @Override
  public native int waitpid(int pid, int[] status, int options) throws LastErrorException;

  @Override
  public native int posix_spawn(
      int[] pid, String path, Pointer actions, Pointer attr, StringArray argv, StringArray envp);

  @Override
  public native int posix_spawn_file_actions_init(Pointer actions);

  @Override
  public native int posix_spawn_file_actions_destroy(Pointer actions);

  @Override
  public native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

  @Override
  public native int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

  @Override
  public native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

  @Override
  public native int posix_spawnattr_init(Pointer attr);

  @Override
  public native int posix_spawnattr_destroy(Pointer attr);

  @Override
  public native int posix_spawnattr_setflags(Pointer attr, short flags);

  @Override
  public native int posix_spawnattr_setsigmask(Pointer attr, Pointer mask);

  @Override
  public native int posix_spawnattr_setsigdefault(Pointer attr, Pointer signals);

  @Override
  public native int posix_spawnattr_setpgroup(Pointer attr, int pgroup);

  @Override
  public native int tcsetpgrp(int fd, int pgrp) throws LastErrorException;

  @Override
  public native Pointer signal(int signum, Pointer handler);

  @Override
  public native int sigemptyset(Pointer set);

  @Override
  public native int sigfillset(Pointer set);

  @Override
  public native int getpid();

  @Override
  public native String strerror(int errno);

  @Override
  public int posix_spawn_file_actions_addtcsetpgrp_np(Pointer actions, int fd) {
    Function f = ProcessLibc.library().getFunction("posix_spawn_file_actions_addtcsetpgrp_np");
    return f.invokeInt(new Object[] {actions, fd});
  }
}
