package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.util.Arrays;

/** {@link NetlinkCalls} on the real kernel through JNA. Stateless but for libc: thread-safe. */
public final class JnaNetlinkCalls implements NetlinkCalls {

  /** The libc functions of this seam; every call reports errno through LastErrorException. */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

    int bind(int fd, byte[] addr, int len) throws LastErrorException;

    NativeLong send(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

    NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);
  }

  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_ROUTE = 0;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int SOL_NETLINK = 270;
  private static final int NETLINK_EXT_ACK = 11;
  private static final int RECEIVE_TIMEOUT_SECONDS = 5;

  private final LibC libc = Native.load("c", LibC.class);

  private <T> T call(String name, String args, LastErrors.Body<T> body) throws SyscallException {
    return LastErrors.call(name, args, libc::strerror, body);
  }

  @Override
  public int open() throws SyscallException {
    Call socket = Call.netlinkSocket();
    int fd =
        call(
            socket.name(),
            socket.args(),
            () -> libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    try {
      byte[] one = le(1, 4);
      call(
          "setsockopt",
          fd + ", SOL_NETLINK, NETLINK_EXT_ACK, [1], 4",
          () -> libc.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one, one.length));
      // struct timeval {time_t tv_sec; suseconds_t tv_usec;}: two longs on 64-bit Linux.
      byte[] tv = new byte[16];
      System.arraycopy(le(RECEIVE_TIMEOUT_SECONDS, 8), 0, tv, 0, 8);
      call(
          "setsockopt",
          fd + ", SOL_SOCKET, SO_RCVTIMEO, {tv_sec=" + RECEIVE_TIMEOUT_SECONDS + ", tv_usec=0}, 16",
          () -> libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.length));
      // struct sockaddr_nl {sa_family_t nl_family; unsigned short nl_pad; u32 nl_pid; u32
      // nl_groups}
      byte[] addr = new byte[12];
      addr[0] = (byte) AF_NETLINK;
      call(
          "bind",
          fd + ", {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12",
          () -> libc.bind(fd, addr, addr.length));
      return fd;
    } catch (SyscallException e) {
      close(fd);
      throw e;
    }
  }

  @Override
  public void send(int fd, byte[] message) throws SyscallException {
    NativeLong n =
        call(
            "send",
            fd + ", […], " + message.length + ", 0",
            () -> libc.send(fd, message, new NativeLong(message.length), 0));
    if (n.intValue() != message.length) {
      throw new SyscallException(
          "send", fd + ", […], " + message.length + ", 0", 5, "EIO", "short netlink send");
    }
  }

  @Override
  public byte[] receive(int fd) throws SyscallException {
    byte[] buf = new byte[MAX_DATAGRAM];
    NativeLong n =
        call(
            "recv",
            fd + ", […], " + MAX_DATAGRAM + ", 0",
            () -> libc.recv(fd, buf, new NativeLong(buf.length), 0));
    return Arrays.copyOf(buf, n.intValue());
  }

  @Override
  public void close(int fd) {
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      // EBADF or EINTR: the fd is gone either way.
    }
  }

  @Override
  public String strerror(int errno) {
    return libc.strerror(errno);
  }

  private static byte[] le(long v, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }
}
