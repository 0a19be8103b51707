package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Path;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.helper.runtime.images.ImageException;
import org.glasshouse.helper.runtime.images.ImageStore;
import org.glasshouse.helper.runtime.rootfs.ContainerDirs;
import org.glasshouse.protocol.Feature;

/**
 * The rootfs of a container from its image: with overlay the shared extracted image is the
 * read-only lower layer under per-container upper/work dirs (level 04); without, the container gets
 * a private copy of the image (level 01–03), so no two containers ever share a writable root: the
 * image's spare copy when one was made ahead ({@link ImageSpares}), else one copied now.
 */
final class ImageRootfs implements RootfsFactory {

  private final ImageStore images;
  private final Syscalls sys;

  ImageRootfs(ImageStore images, Syscalls sys) {
    this.images = images;
    this.sys = sys;
  }

  /**
   * What the image step's failure means, for an image whose tarball is there: it did not extract.
   * None for one that is not there (or a name that is not one): the store's message says so and
   * lists the images there are, and the explanation only repeated it ("… does not exist; the images
   * here: busybox — the image must exist as <images>/nosuchimage.tar").
   */
  private String explanation(String image) {
    try {
      return java.nio.file.Files.isRegularFile(images.tarball(image))
          ? "<images>/" + image + ".tar must be a tar of a root file system that extracts cleanly"
          : null;
    } catch (ImageException e) {
      return null;
    }
  }

  @Override
  public Layout prepare(LinuxContainer c, Undo undo) throws StepException, IOException {
    if (!Feature.needsRootfs(c.features())) {
      return null;
    }
    String image = c.spec().image();
    if (image == null || image.isBlank()) {
      throw new IOException("a root filesystem needs an image: say which one (busybox)");
    }
    StepLog log = c.log();
    ContainerDirs dirs = c.dirs();
    ImageStore.Lease[] held = new ImageStore.Lease[1];
    log.run(
        "image",
        "helper",
        "image",
        "\"" + image + "\"",
        explanation(image),
        () -> {
          held[0] = images.acquire(image);
          return held[0].rootfs().toString();
        });
    ImageStore.Lease lease = held[0];
    undo.push("release image " + image, lease::close);
    // Level 01 leaks mounts into the host's table (no mount namespace yet); whatever is still
    // mounted under the container's dir at removal comes off before the dir is deleted.
    undo.push(
        "unmount what is left under " + dirs.dir(), () -> Mounts.umountUnder(sys, dirs.dir()));
    if (c.features().contains(Feature.OVERLAY)) {
      log.run(
          "overlay",
          "helper",
          "mkdir",
          "\"" + dirs.upper() + "\", \"" + dirs.work() + "\", \"" + dirs.merged() + "\"",
          null,
          () -> {
            dirs.overlay();
            return null;
          });
      // Checks the paths: a ',' or ':' would split overlay's option string.
      dirs.overlayOptions(lease.rootfs());
      return new Layout(
          dirs.merged().toString(),
          lease.rootfs().toString(),
          dirs.upper().toString(),
          dirs.work().toString());
    }
    // A spare copy made ahead (ImageSpares) is renamed into place: a copy of the same tree, made
    // before this start asked for it.
    Path spare = images.takeSpare(lease);
    Path copy =
        spare != null
            ? log.run(
                "rootfs",
                "helper",
                "rename",
                "\""
                    + spare
                    + "\", \""
                    + dirs.rootfs()
                    + "\" /* a copy of \""
                    + lease.rootfs()
                    + "\" made ahead */",
                null,
                () -> ImageStore.adoptSpare(spare, dirs.rootfs()))
            : log.run(
                "rootfs",
                "helper",
                "copy",
                "\"" + lease.rootfs() + "\" → \"" + dirs.rootfs() + "\"",
                null,
                () -> dirs.copyRootfs(lease.rootfs()));
    return new Layout(copy.toString(), null, null, null);
  }
}
