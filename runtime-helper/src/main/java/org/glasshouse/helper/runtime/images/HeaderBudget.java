package org.glasshouse.helper.runtime.images;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The tarball as the tar reader sees it, counted, with a budget for the bytes it may read while it
 * looks for the next entry. The tar library reads a GNU long name, a long link target or a PAX
 * header whole into memory before it hands the entry over; a hostile tarball declares one of a
 * gigabyte and the helper runs out of heap. Only the headers between two entries are capped: an
 * entry's data is streamed to disk, never held.
 */
final class HeaderBudget extends FilterInputStream {

  /** Read past the budget: the headers before one entry are larger than any image needs. */
  static final class Exceeded extends IOException {
    private static final long serialVersionUID = 1L;

    Exceeded(long budget) {
      super("more than " + budget + " bytes of header records before one entry");
    }
  }

  private long position;
  private long limit = Long.MAX_VALUE;
  private long budget;

  HeaderBudget(InputStream in) {
    super(in);
  }

  /** From now on at most {@code bytes} more may be read (until {@link #lift}). */
  void allow(long bytes) {
    budget = bytes;
    limit = position + bytes;
  }

  /** No budget: entry data flows freely. */
  void lift() {
    limit = Long.MAX_VALUE;
  }

  private int room(int wanted) throws Exceeded {
    if (wanted > 0 && position >= limit) {
      throw new Exceeded(budget);
    }
    return (int) Math.min(wanted, limit - position);
  }

  @Override
  public int read() throws IOException {
    room(1);
    int b = super.read();
    if (b >= 0) {
      position++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, room(len));
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    if (position >= limit) {
      throw new Exceeded(budget);
    }
    long s = super.skip(Math.min(n, limit - position));
    if (s > 0) {
      position += s;
    }
    return s;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
