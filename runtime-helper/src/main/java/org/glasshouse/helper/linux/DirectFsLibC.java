package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * {@link JnaFsCalls.LibC} by JNA's direct mapping: each method a JNI native bound once, at class
 * initialization, to its libc symbol. No {@code Library} proxy, no reflection and no argument
 * boxing per call (issue 16: the proxy's binding and first calls were a large part of an init JVM's
 * CPU). Every symbol must exist in this libc, or the class does not initialize.
 */
final class DirectFsLibC implements JnaFsCalls.LibC {
  static {
    Native.register(DirectFsLibC.class, ProcessLibc.library());
  }

  // glibc's syscall() is variadic; a fixed-arity call with integer and pointer arguments passes
  // them in the same registers on x86-64 and arm64 Linux, which is how the kernel receives them.
  @Override
  public native long syscall(long number, int dirfd, byte[] path, Pointer how, long size)
      throws LastErrorException;

  @Override
  public native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

  @Override
  public native int mkdirat(int dirfd, byte[] name, int mode) throws LastErrorException;

  @Override
  public native int symlinkat(byte[] target, int dirfd, byte[] name) throws LastErrorException;

  @Override
  public native int mknodat(int dirfd, byte[] name, int mode, long dev) throws LastErrorException;

  @Override
  public native int linkat(int olddirfd, byte[] oldname, int newdirfd, byte[] newname, int flags)
      throws LastErrorException;

  @Override
  public native int unlinkat(int dirfd, byte[] name, int flags) throws LastErrorException;

  @Override
  public native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags)
      throws LastErrorException;

  @Override
  public native int fchown(int fd, int uid, int gid) throws LastErrorException;

  @Override
  public native int fchmod(int fd, int mode) throws LastErrorException;

  @Override
  public native int flock(int fd, int op) throws LastErrorException;

  @Override
  public native int chmod(String path, int mode) throws LastErrorException;

  @Override
  public native int utimensat(int dirfd, byte[] path, Pointer times, int flags)
      throws LastErrorException;

  @Override
  public native int futimens(int fd, Pointer times) throws LastErrorException;

  @Override
  public native int statx(int dirfd, byte[] path, int flags, int mask, Pointer buf)
      throws LastErrorException;

  @Override
  public native long getdents64(int fd, byte[] buf, long count) throws LastErrorException;

  @Override
  public native long lseek(int fd, long offset, int whence) throws LastErrorException;

  @Override
  public native long fgetxattr(int fd, String name, byte[] value, long size)
      throws LastErrorException;

  @Override
  public native long write(int fd, Pointer buf, long count) throws LastErrorException;

  @Override
  public native int close(int fd) throws LastErrorException;

  @Override
  public native String strerror(int errno);
}
