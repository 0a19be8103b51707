package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.runtime.images.ImageException;
import org.glasshouse.helper.runtime.images.ImageInfo;
import org.glasshouse.helper.runtime.images.ImageStore;

/**
 * The images' work done ahead, off the starts' path (issue 16): once the helper listens, every
 * image is extracted, and every image whose tarball is at most {@link #SPARES_MAX_BYTES} gets
 * {@link ImageStore#SPARES} spare private copies of its rootfs ({@link ImageStore#makeSpare}), made
 * again as starts take them. One thread at nice 10, one copy at a time. A larger image (the debian
 * one, 211 MiB) is copied by each start that needs a copy, as before: three spares of it would hold
 * ~0.7 GB of disk. Without {@link #start} (a runtime a test makes) nothing is done ahead.
 *
 * <p>Why: the first start of level 01 waited for the image's extraction (0.2-1.6 s here) and every
 * start of levels 01-03 for the copy of its rootfs (~200 ms of the kernel's time for busybox).
 */
final class ImageSpares implements AutoCloseable {

  /** The largest tarball whose image gets spare copies (busybox's: 19.6 MB). */
  static final long SPARES_MAX_BYTES = 64L << 20;

  /** The worker's nice value: a start at the normal priority goes first. */
  static final int NICE = 10;

  private final ImageStore images;
  private final Syscalls sys;
  private final Consumer<String> log;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "glasshouse-image-spares");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean started;

  ImageSpares(ImageStore images, Syscalls sys, Consumer<String> log) {
    this.images = images;
    this.sys = sys;
    this.log = log;
    images.onSpareTaken(this::refill);
  }

  /** Extracts every image and makes its spare, in the background; from now on refills them. */
  void start() {
    started = true;
    submit(
        () -> {
          try {
            for (ImageInfo i : images.list()) {
              if (i.sizeBytes() <= SPARES_MAX_BYTES) {
                make(i.name());
              } else {
                extract(i.name());
              }
            }
          } catch (ImageException e) {
            log.accept("images: nothing prepared ahead: " + e.getMessage());
          }
        });
  }

  /** Makes the spare of {@code image} again (a start took it), when started and worth it. */
  private void refill(String image) {
    if (started) {
      submit(
          () -> {
            try {
              if (Files.size(images.tarball(image)) <= SPARES_MAX_BYTES) {
                make(image);
              }
            } catch (IOException e) {
              // Gone meanwhile: its next start says so.
            }
          });
    }
  }

  private void submit(Runnable task) {
    try {
      worker.execute(
          () -> {
            lowPriority();
            task.run();
          });
    } catch (RejectedExecutionException e) {
      // Closing: nothing more is prepared.
    }
  }

  private void make(String image) {
    try {
      while (images.makeSpare(image)) {
        // One copy each, up to the store's count.
      }
    } catch (ImageException | RuntimeException e) {
      // The start copies as it did before: slower, not wrong.
      log.accept("image " + image + ": no spare copy made ahead: " + e.getMessage());
    }
  }

  private void extract(String image) {
    try {
      images.rootfs(image);
    } catch (ImageException | RuntimeException e) {
      // Its first start extracts it, and says what is wrong with it.
      log.accept("image " + image + ": not extracted ahead: " + e.getMessage());
    }
  }

  private void lowPriority() {
    try {
      sys.setpriority(0, NICE);
    } catch (SyscallException e) {
      // Only a scheduling preference.
    }
  }

  /** Stops preparing: waits for a copy under way (it writes into the state dir). */
  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
