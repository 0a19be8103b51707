package org.glasshouse.helper.runtime.images;

/**
 * One image the helper offers.
 *
 * @param name the image name ({@code busybox})
 * @param sizeBytes size of its tarball
 * @param ready whether it is extracted and the extraction matches the current tarball
 */
public record ImageInfo(String name, long sizeBytes, boolean ready) {}
