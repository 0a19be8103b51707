package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A libc call through a JNA {@code Library} proxy that reports errno by {@link LastErrorException},
 * turned into the {@link SyscallException} the rest of the helper reads: the call's name and
 * arguments as strace writes them, the errno's name and libc's text for it.
 */
final class LastErrors {

  /** The call itself. */
  @FunctionalInterface
  interface Body<T> {
    T run() throws LastErrorException;
  }

  private LastErrors() {}

  /** Runs {@code body}; its errno becomes a SyscallException named {@code name(args)}. */
  static <T> T call(String name, String args, IntFunction<String> strerror, Body<T> body)
      throws SyscallException {
    return call(name, () -> args, strerror, body);
  }

  /**
   * As {@link #call(String, String, IntFunction, Body)}, the arguments' text made only when the
   * call fails (a file-system walk makes thousands of calls that succeed; their text is wasted).
   */
  static <T> T call(String name, Supplier<String> args, IntFunction<String> strerror, Body<T> body)
      throws SyscallException {
    try {
      return body.run();
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      throw new SyscallException(name, args.get(), errno, Errno.name(errno), strerror.apply(errno));
    }
  }
}
