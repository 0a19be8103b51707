package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.List;

/**
 * {@link ProcConnectorCalls} on the real kernel through JNA. One receive buffer, so {@link
 * #receive} is for one thread at a time (the namespaces topic's pump).
 */
public final class JnaProcConnectorCalls implements ProcConnectorCalls {

  /** The libc functions of this seam; every call reports errno through LastErrorException. */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

    int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    int bind(int fd, byte[] addr, int len) throws LastErrorException;

    NativeLong send(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);
  }

  private static final int AF_NETLINK = 16;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_NONBLOCK = 0x800;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_CONNECTOR = 11;
  private static final int CN_IDX_PROC = 1;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVBUF = 8;
  private static final int SO_RCVBUFFORCE = 33;
  private static final int SO_ATTACH_FILTER = 26;
  private static final int MSG_DONTWAIT = 0x40;
  private static final int EAGAIN = 11;

  private final LibC libc = Native.load("c", LibC.class);

  /**
   * recv by JNA's direct mapping (a JNI native bound once) and without LastErrorException: it is
   * called for every event and once more per drain to find the socket empty (EAGAIN), ten times a
   * second, where the proxy's reflection and a thrown exception cost more than the syscall. errno
   * comes from {@link Native#getLastError()}, which direct calls set too.
   */
  static final class Direct {
    static {
      Native.register(Direct.class, ProcessLibc.library());
    }

    private Direct() {}

    static native long recv(int fd, Pointer buf, long len, int flags);
  }

  private final Memory buf = new Memory(MAX_DATAGRAM);

  private <T> T call(String name, String args, LastErrors.Body<T> body) throws SyscallException {
    return LastErrors.call(name, args, libc::strerror, body);
  }

  @Override
  public int open(List<SockFilter> filter, int receiveBuffer, byte[] listen)
      throws SyscallException {
    int fd =
        call(
            "socket",
            "AF_NETLINK, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, NETLINK_CONNECTOR",
            () ->
                libc.socket(
                    AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR));
    try {
      byte[] size = le(receiveBuffer, 4);
      try {
        call(
            "setsockopt",
            fd + ", SOL_SOCKET, SO_RCVBUFFORCE, [" + receiveBuffer + "], 4",
            () -> libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size, 4));
      } catch (SyscallException e) {
        // Without CAP_NET_ADMIN: as much as rmem_max allows.
        call(
            "setsockopt",
            fd + ", SOL_SOCKET, SO_RCVBUF, [" + receiveBuffer + "], 4",
            () -> libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4));
      }
      if (!filter.isEmpty()) {
        // struct sock_filter[]: {u16 code; u8 jt; u8 jf; u32 k}, then struct sock_fprog {u16 len;
        // (6 bytes of padding) struct sock_filter *filter}.
        Memory insns = new Memory(8L * filter.size());
        for (int i = 0; i < filter.size(); i++) {
          SockFilter f = filter.get(i);
          insns.setShort(8L * i, (short) f.code());
          insns.setByte(8L * i + 2, (byte) f.jt());
          insns.setByte(8L * i + 3, (byte) f.jf());
          insns.setInt(8L * i + 4, f.k());
        }
        Memory prog = new Memory(16);
        prog.clear();
        prog.setShort(0, (short) filter.size());
        prog.setPointer(8, insns);
        call(
            "setsockopt",
            fd + ", SOL_SOCKET, SO_ATTACH_FILTER, {len=" + filter.size() + ", filter=[…]}, 16",
            () -> libc.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, 16));
      }
      // struct sockaddr_nl {sa_family_t nl_family; unsigned short nl_pad; u32 nl_pid; u32
      // nl_groups}
      byte[] addr = new byte[12];
      addr[0] = (byte) AF_NETLINK;
      addr[8] = (byte) CN_IDX_PROC;
      call(
          "bind",
          fd + ", {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000001}, 12",
          () -> libc.bind(fd, addr, addr.length));
      NativeLong n =
          call(
              "send",
              fd + ", {PROC_CN_MCAST_LISTEN}, " + listen.length + ", 0",
              () -> libc.send(fd, listen, new NativeLong(listen.length), 0));
      if (n.intValue() != listen.length) {
        throw new SyscallException(
            "send", fd + ", {PROC_CN_MCAST_LISTEN}", 5, "EIO", "short netlink send");
      }
      return fd;
    } catch (SyscallException e) {
      close(fd);
      throw e;
    }
  }

  @Override
  public byte[] receive(int fd) throws SyscallException {
    long n = Direct.recv(fd, buf, MAX_DATAGRAM, MSG_DONTWAIT);
    if (n < 0) {
      int errno = Native.getLastError();
      if (errno == EAGAIN) {
        return null;
      }
      throw new SyscallException(
          "recv",
          fd + ", […], " + MAX_DATAGRAM + ", MSG_DONTWAIT",
          errno,
          Errno.name(errno),
          libc.strerror(errno));
    }
    return buf.getByteArray(0, (int) Math.min(n, MAX_DATAGRAM));
  }

  @Override
  public void close(int fd, byte[] goodbye) {
    try {
      libc.send(fd, goodbye, new NativeLong(goodbye.length), MSG_DONTWAIT);
    } catch (LastErrorException e) {
      // Closing anyway.
    }
    close(fd);
  }

  private void close(int fd) {
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      // EBADF or EINTR: the fd is gone either way.
    }
  }

  private static byte[] le(long v, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }
}
