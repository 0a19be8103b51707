/**
 * Images: rootfs tarballs extracted once per image into the helper's state dir, with every member
 * treated as hostile ({@link org.glasshouse.helper.runtime.images.ImageStore}).
 */
package org.glasshouse.helper.runtime.images;
