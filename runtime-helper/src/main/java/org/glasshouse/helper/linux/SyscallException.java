package org.glasshouse.helper.linux;

/**
 * A syscall failed. The message reads like strace: {@code mount("overlay", "/…/merged", "overlay",
 * MS_NODEV, "lowerdir=…") = -1 EPERM (Operation not permitted)}.
 */
public class SyscallException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final String args;
  private final int errno;
  private final String errnoName;
  private final String errnoMessage;

  /**
   * @param call the syscall's name ({@code pivot_root})
   * @param args the arguments as a human writes them, flags symbolic
   * @param errno the errno value
   * @param errnoName its symbolic name ({@code EBUSY})
   * @param errnoMessage strerror's text ({@code Device or resource busy})
   */
  public SyscallException(
      String call, String args, int errno, String errnoName, String errnoMessage) {
    super(call + "(" + args + ") = -1 " + errnoName + " (" + errnoMessage + ")");
    this.call = call;
    this.args = args;
    this.errno = errno;
    this.errnoName = errnoName;
    this.errnoMessage = errnoMessage;
  }

  /**
   * @param call the syscall with its arguments, as {@link Call} describes it
   * @param errno the errno value
   * @param errnoName its symbolic name ({@code EBUSY})
   * @param errnoMessage strerror's text ({@code Device or resource busy})
   */
  public SyscallException(Call call, int errno, String errnoName, String errnoMessage) {
    this(call.name(), call.args(), errno, errnoName, errnoMessage);
  }

  /** The syscall's name. */
  public String call() {
    return call;
  }

  /** The arguments as a human writes them. */
  public String args() {
    return args;
  }

  /** The errno value. */
  public int errno() {
    return errno;
  }

  /** The errno's symbolic name, e.g. {@code EPERM}. */
  public String errnoName() {
    return errnoName;
  }

  /** strerror's text for the errno. */
  public String errnoMessage() {
    return errnoMessage;
  }
}
