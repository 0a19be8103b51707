/**
 * A container's directories on the helper side: private rootfs copies, overlay upper/work/merged,
 * and the one delete that never follows a link or crosses a mount.
 */
package org.glasshouse.helper.runtime.rootfs;
